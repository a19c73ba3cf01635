/**
 * A new embedded data folder starts as a copy of a migrated template instead of paying initdb and
 * every migration (a fraction of a second instead of several). The template is built once per
 * schema and PGlite version and cached outside git, in node_modules/.cache/inter-personal-time.
 * Migrations still run after opening (a no-op when current), so a template can never leave a
 * folder behind the schema. Without a usable cache the database is created in place, as before.
 */
import { fromRoot } from '../paths.ts';
import { ensureTemplate } from './template-cache.ts';
import { copyTemplateInto } from './template-copy.ts';
import { templateKey } from './template-key.ts';

export const defaultTemplateCacheDir = fromRoot('node_modules', '.cache', 'inter-personal-time');

type Log = (line: string) => void;

export interface TemplateOptions {
  cacheDir?: string;
  key?: string;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The data folder of the template for this checkout's migrations, built and cached if missing. */
export async function findOrBuildTemplate(options: TemplateOptions & { log?: Log } = {}): Promise<string> {
  return ensureTemplate({
    cacheDir: options.cacheDir ?? defaultTemplateCacheDir,
    key: options.key ?? templateKey(),
    // Loaded only when building: it brings the migrator, which a start with a template loads later.
    build: async (dataDir) => (await import('./template-build.ts')).buildMigratedDataFolder(dataDir),
    ...(options.log ? { log: options.log } : {}),
  });
}

/**
 * Fills a new data folder, already locked by this process, from the template. False, with a log
 * line saying why, when it cannot (the cache not writable, the folder holding other files); PGlite
 * then creates the database in place on open, as it did before templates.
 */
export async function fillNewDataFolder(dataDir: string, log: Log, options: TemplateOptions = {}): Promise<boolean> {
  let template: string;
  try {
    template = await findOrBuildTemplate({ ...options, log });
  } catch (error) {
    log(`No database template (${reason(error)}): creating the new database in place, which takes several seconds.`);
    return false;
  }
  try {
    if (await copyTemplateInto(template, dataDir)) return true;
    log(`${dataDir} holds files but no database: creating the database in place among them, not from the template.`);
  } catch (error) {
    log(`Could not copy the database template into ${dataDir} (${reason(error)}): creating the new database in place.`);
  }
  return false;
}
