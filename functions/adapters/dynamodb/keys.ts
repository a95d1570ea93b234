/** Moved to ./table/keys.ts (the table module); kept so modules not yet moved keep their import. */
export * from './table/keys.ts';
