import { provinceOfRegion, regionOfId, regionOfKnownId } from '../ids';
import type { ProvinceBackends } from './backends';
import { query } from './transaction';

/** The province an id routes to (its first two digits), or null for an id that is not ours. */
export function provinceOfId(id: string): string | null {
  const region = regionOfId(id);
  return region ? provinceOfRegion(region) : null;
}

/** The province of an id the system itself made or has already routed (see regionOfKnownId). */
export function provinceOfKnownId(id: string): string {
  return provinceOfRegion(regionOfKnownId(id));
}

/** Groups values by the province backend their id routes to; values that route nowhere are dropped (not found). */
export function groupByProvince<T>(backends: ProvinceBackends, values: readonly T[], idOf: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const province = provinceOfId(idOf(value));
    if (!province || !backends.has(province)) continue;
    const group = groups.get(province);
    if (group) group.push(value);
    else groups.set(province, [value]);
  }
  return groups;
}

/** Distinct ids grouped by province. */
export function idsByProvince(backends: ProvinceBackends, ids: readonly string[]): Map<string, string[]> {
  return groupByProvince(backends, [...new Set(ids)], (id) => id);
}

export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * One statement per province for ids grouped by province: `statement` gets the placeholders of the
 * province's ids, which are bound first, then `params`. Every province's rows together, in no order
 * between provinces: a caller that needs one sorts them.
 */
export async function queryEachProvince<Row>(
  backends: ProvinceBackends,
  groups: ReadonlyMap<string, readonly string[]>,
  statement: (idPlaceholders: string) => string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  const rows = await Promise.all(
    [...groups].map(([province, ids]) => query<Row[]>(backends.get(province), province, statement(placeholders(ids)), [...ids, ...params])),
  );
  return rows.flat();
}

/** The rows of many ids (or of what they own), one statement per province their ids route to; see queryEachProvince. */
export function queryByIds<Row>(
  backends: ProvinceBackends,
  ids: readonly string[],
  statement: (idPlaceholders: string) => string,
): Promise<Row[]> {
  return queryEachProvince<Row>(backends, idsByProvince(backends, ids), statement);
}
