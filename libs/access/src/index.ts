/**
 * The sharing rule's one home: the CASL abilities, the route policies and the SQL definitions of the
 * rule (`../sql`, functions and row-level security policies) side by side. See the README, "Sharing
 * client data".
 */
export * from './ability.js';
export * from './accessible-where.js';
export * from './decorators.js';
export * from './permissions.js';
export * from './share-facts.js';
