/** Loads the real handler modules named in functions/manifest.ts (after the environment is set). */
import { FUNCTIONS, type FunctionName } from '../functions/manifest.ts';
import { localContext } from './lambda-context.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (event: any, context: any) => Promise<any>;

export async function loadHandlers(): Promise<Record<FunctionName, (event: unknown) => Promise<unknown>>> {
  const entries = await Promise.all(
    (Object.keys(FUNCTIONS) as FunctionName[]).map(async (name) => {
      const mod = (await import(/* @vite-ignore */ `../${FUNCTIONS[name].entry}`)) as { handler: AnyHandler };
      return [name, (event: unknown) => mod.handler(event, localContext(name))] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<FunctionName, (event: unknown) => Promise<unknown>>;
}
