/**
 * The surveys settings (surveys/settings/) as the functions see them. On AWS `cdk synth` validated the
 * file and bundled it into every function as the constant __ANKIETA_SETTINGS__ (an esbuild define:
 * Lambda's 4 KB of environment variables would not hold a catalogue with its texts, and a bundled
 * value is versioned with the code and needs no call at cold start). Locally the runtime reads the
 * file and calls configureSettings() before the handlers run. Without either: the defaults.
 */
import { useCatalogue } from '#surveys/catalogue.ts';
import { catalogueOf } from '#surveys/settings/apply.ts';
import { parseSettings } from '#surveys/settings/load.ts';
import type { Settings } from '#surveys/settings/schema.ts';

declare const __ANKIETA_SETTINGS__: string | undefined;

let current: Settings | undefined;

/** Installs validated settings (the local runtime, tests): the catalogue every use case reads follows them. */
export function configureSettings(settings: Settings): Settings {
  current = settings;
  useCatalogue(catalogueOf(settings));
  return settings;
}

export function surveysSettings(): Settings {
  if (current) return current;
  const bundled = typeof __ANKIETA_SETTINGS__ === 'string' ? __ANKIETA_SETTINGS__ : '{}';
  return configureSettings(parseSettings(bundled, 'the bundled surveys settings'));
}
