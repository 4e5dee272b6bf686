/**
 * The sharing rule's one home: the CASL abilities, the route policies and the SQL definitions of the
 * rule (`../sql`, functions and row-level security policies) side by side. See the README, "Sharing
 * client data".
 */
export { type Action, AGREEMENT_EXISTENCE_FIELDS, defineAbilityFor } from './ability.js';
export { accessibleWhere } from './accessible-where.js';
export { IS_PUBLIC, POLICY, Public, Requires, type RoutePolicy } from './decorators.js';
export { PERMISSIONS } from './permissions.js';
export { loadShareFacts, mayReadSection, type ShareFacts, shareFactsColumns, shareFactsFrom } from './share-facts.js';
