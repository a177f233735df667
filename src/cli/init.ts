import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialConfig } from '../facts/initial-config.js';
import { InputError } from '../errors.js';
import { toolVersion } from '../package-root.js';
import { openRepository } from './gather.js';
import { surveyRepository } from '../facts/survey.js';
import { gatherRequest, type Invocation } from './arguments.js';

const schemaInPackage = 'node_modules/release-lint/schemas/config.schema.json';

/**
 * Where editors find the config's schema on any machine: inside node_modules when release-lint is
 * a dependency of the repository, else the published package of this version. Never a path of
 * this machine's installation.
 */
function schemaReference(root: string): string {
  return existsSync(join(root, schemaInPackage)) ? `./${schemaInPackage}` : `https://unpkg.com/release-lint@${toolVersion}/schemas/config.schema.json`;
}

/** Writes `.releasepolicyrc.yml` in the repository root; never replaces an existing config. */
export async function writeInitialConfig(root: string, existingConfig: string | null): Promise<string> {
  const file = join(root, '.releasepolicyrc.yml');
  if (existingConfig) throw new InputError('a release-lint config already exists; edit it instead', existingConfig);
  // lstat, not exists: a link there (even one pointing nowhere) is never written through.
  if (lstatSync(file, { throwIfNoEntry: false })) throw new InputError('already exists; edit it instead', file);
  const refs = await surveyRepository(root);
  writeFileSync(file, await initialConfig(root, refs, { schema: schemaReference(root) }), { flag: 'wx' });
  return file;
}

/** `release-lint init`: a commented config for this repository. */
export async function initCommand({ options }: Invocation): Promise<number> {
  const { location, config } = await openRepository(gatherRequest(options));
  process.stdout.write(`release-lint: wrote ${await writeInitialConfig(location.root, config.file)}\n`);
  return 0;
}
