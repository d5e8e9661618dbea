import { provinceOfRegion, regionOfId, regionOfKnownId } from '../ids';
import type { ProvinceBackends } from './backends';

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
