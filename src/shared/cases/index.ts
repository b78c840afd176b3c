/** The cases module's shared surface: imported by the server and the web alike. */
export * from './limits.js';
export * from './departments.js';
export * from './categories.js';
export * from './workflow.js';
export * from './model.js';
export * from './settings.js';
export { GUARDS, GUARD_NAMES, guardUsesInput, type GuardName, type GuardArgs } from './guards.js';
export { TARGETS, TARGET_NAMES, EFFECTS, isTargetName, type TargetName, type EffectName } from './effects.js';
export * from './transition.js';
export * from './schemas.js';
