// The embedded servers of the development and test stack (see docs/README-foundation.md).
export * from './types';
export * from './paths';
export * from './ports';
export * from './eventually';
export { isAlive, isOurProcess, stopPid } from './processes';
export * from './postgres';
export * from './ferretdb';
export * from './mailpit';
export * from './temporal';
export * from './stack';
export * from './test-runs';
