/**
 * zod/mini, the tree-shakable zod, with the English messages classic zod sets by default. Schemas
 * that ship in a Lambda bundle import this instead of 'zod': classic zod costs ~85 KB in every bundle
 * that touches it and ~30 ms of cold init (bench/RESULTS.md, bundles); zod/mini costs what it uses.
 *
 * Use `z.core.…` in types only: a value read through the `core` namespace keeps all of zod's core in
 * the bundle, every locale included (~370 KB); the values needed are re-exported here by name.
 */
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

z.config(en()); // the English locale alone: z.locales would bundle every language

export * from 'zod/mini';
export { $ZodError } from 'zod/v4/core';
