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
  // Bundled: validated by the synth, defaults filled in (infra/deploy-parameters.ts), read as it is, so the
  // bundle carries no settings schema (esbuild drops the other branch when the constant is defined: an
  // if/else or a conditional, not an early return, or it keeps both).
  return configureSettings(
    typeof __ANKIETA_SETTINGS__ === 'string' ? (JSON.parse(__ANKIETA_SETTINGS__) as Settings) : parseSettings('{}', 'the built-in defaults'),
  );
}
