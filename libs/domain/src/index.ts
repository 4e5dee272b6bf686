export * from './domain.module.js';
export * from './organisations/organisation.js';
export * from './organisations/organisation.service.js';
export * from './seed/demo-partnership.js';
export * from './shared/errors.js';
export * from './shared/kbo.js';
export * from './users/user.js';
export * from './users/user.service.js';
