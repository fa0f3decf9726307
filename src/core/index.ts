export * from './command';
export * from './job';
export * from './reply';
export * from './user-facing-error';
export * from './schema';
export * from './vocabulary';
export * from './help';
export * from './suggest';
