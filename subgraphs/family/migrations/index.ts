import { CreateBindings1763942400000 } from './1763942400000-CreateBindings';
import { BindingConsent1764806400000 } from './1764806400000-BindingConsent';

/** Migrations of each province database of the family subgraph, in order. */
export const PROVINCE_MIGRATIONS = [CreateBindings1763942400000, BindingConsent1764806400000];
