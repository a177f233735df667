import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadConfig, loadDefaultConfig, withInlineConfig } from '../config/load.js';
import type { ResolvedConfig, RuleSetting } from '../config/types.js';
import { readRuleTestFile, runRuleTestCase, type CaseResult, type RuleTestFile } from '../engine/rule-tests.js';
import { builtInRulesDir, compileRuleFile, isRuleFileName, isRuleTestFileName, type CompiledRule } from '../engine/rules.js';
import { InputError } from '../errors.js';
import { locateRepository } from '../facts/collect-git.js';
import { didYouMean } from '../schema/validate.js';
import { configLoading, type Invocation } from './arguments.js';
import { write } from './output.js';

/** The formats test results are printed in: text, or JSON for scripts (counting cases per rule). */
const testFormats = ['human', 'json'];

/**
 * `release-lint test [path…]`: runs rule test files (rules/<id>.test.yml) — those of the config's
 * rulesDirs (else of the built-in rules), or the files and folders given — and prints each failing
 * case with its diff and trace. Exit 0 when every case passes, 1 otherwise, 2 on a malformed file.
 */
export async function testCommand(invocation: Invocation): Promise<number> {
  const { args, options, outputs } = invocation;
  for (const { format } of outputs) if (!testFormats.includes(format)) throw new InputError(`test prints ${testFormats.join(' or ')}, not ${format}`);
  const files = args.length > 0 ? args.flatMap(testFilesAt) : await defaultTestFiles(invocation);
  // A CI job that finds nothing to run must not pass.
  if (files.length === 0) throw new InputError(`no rule test files (<rule-id>.test.yml) in ${args.length > 0 ? args.join(', ') : "the config's rulesDirs"}`);
  // Every file is read before any case runs: a malformed one is exit 2 whatever the others say.
  const testFiles = files.map(readRuleTestFile);
  const base = await loadDefaultConfig();
  const compiled = new Map<string, CompiledRule>();
  const results: Array<{ testFile: RuleTestFile; cases: CaseResult[] }> = [];
  for (const testFile of testFiles) {
    const ruleFile = ruleFileFor(testFile);
    const cases = testFile.cases.map((testCase, index) => {
      refuseUnknownRules(testFile, index);
      const config = testCase.config ? withInlineConfig(base, testCase.config, testFile.file, ['cases', index, 'config'], testFile.locate) : base;
      const setting = ruleSetting(config, testFile);
      // Each rule is compiled once per distinct setting: most cases share the first.
      const key = `${ruleFile.file}\0${JSON.stringify({ ...setting, source: undefined })}`;
      let rule = compiled.get(key);
      if (!rule) compiled.set(key, (rule = compileRuleFile(ruleFile.file, ruleFile.builtIn, config, setting)));
      return runRuleTestCase(testFile, index, rule, config);
    });
    results.push({ testFile, cases });
  }
  const passed = results.reduce((n, r) => n + r.cases.filter((c) => c.passed).length, 0);
  const failed = results.reduce((n, r) => n + r.cases.filter((c) => !c.passed).length, 0);
  for (const { format, file } of outputs) write(format === 'json' ? renderJson(results, passed, failed) : renderText(results, passed, failed), file);
  return failed > 0 ? 1 : 0;
}

/**
 * The rule's setting in a case: the preset's options (with the case's over them), at the rule
 * file's severity unless the case sets one: a preset that switches the rule off does not.
 */
function ruleSetting(config: ResolvedConfig, testFile: RuleTestFile): RuleSetting {
  const setting = config.rules[testFile.rule];
  return { ...setting, severity: setting?.source?.file === testFile.file ? setting.severity : undefined };
}

function shown(file: string): string {
  const path = relative(process.cwd(), file);
  return path === '' || path.startsWith('..') ? file : path;
}

function renderText(results: Array<{ testFile: RuleTestFile; cases: CaseResult[] }>, passed: number, failed: number): string {
  const out: string[] = [];
  for (const { testFile, cases } of results) {
    for (const result of cases) {
      if (result.passed) continue;
      out.push(`✖ ${testFile.rule} › ${result.name}  ${shown(testFile.file)}:${result.line}`, ...result.report.map((line) => `    ${line}`), '');
    }
  }
  out.push(`${passed} passed, ${failed} failed`);
  return out.join('\n') + '\n';
}

function renderJson(results: Array<{ testFile: RuleTestFile; cases: CaseResult[] }>, passed: number, failed: number): string {
  const files = results.map(({ testFile, cases }) => ({
    file: shown(testFile.file),
    rule: testFile.rule,
    cases: cases.map((c) => ({ name: c.name, line: c.line, passed: c.passed, ...(c.passed ? {} : { report: c.report }) })),
  }));
  return JSON.stringify({ version: 1, passed, failed, files }, null, 2) + '\n';
}

/** The rule file a test file tests: `<id>.yml` beside it, else the built-in rule of that id. */
function ruleFileFor(testFile: RuleTestFile): { file: string; builtIn: boolean } {
  const dir = dirname(testFile.file);
  for (const [folder, builtIn] of [[dir, resolve(dir) === builtInRulesDir], [builtInRulesDir, true]] as const) {
    for (const extension of ['yml', 'yaml']) {
      const file = join(folder, `${testFile.rule}.${extension}`);
      if (existsSync(file)) return { file, builtIn };
    }
  }
  const known = [...new Set([...ruleIdsIn(dir), ...ruleIdsIn(builtInRulesDir)])];
  const suggestion = didYouMean(testFile.rule, known);
  const position = testFile.locate.position(['rule'], 'value');
  throw new InputError(`unknown rule "${testFile.rule}": no ${testFile.rule}.yml beside the test file nor among the built-in rules${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, testFile.file, position.line, position.column);
}

/** A case's config may set only rules that exist, as a config file may: a typo would never reach the rule. */
function refuseUnknownRules(testFile: RuleTestFile, index: number): void {
  const rules = (testFile.cases[index].config as { rules?: Record<string, unknown> } | undefined)?.rules;
  if (!rules) return;
  const known = [...new Set([...ruleIdsIn(dirname(testFile.file)), ...ruleIdsIn(builtInRulesDir)])];
  for (const id of Object.keys(rules)) {
    if (known.includes(id)) continue;
    const suggestion = didYouMean(id, known);
    const position = testFile.locate.position(['cases', index, 'config', 'rules', id], 'key');
    throw new InputError(`unknown rule "${id}" in the case's config${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, testFile.file, position.line, position.column);
  }
}

function ruleIdsIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isRuleFileName).map((name) => name.replace(/\.ya?ml$/, ''));
  } catch {
    return [];
  }
}

/** The test files in a folder (not its subfolders, like rulesDirs), by name. */
function testFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new InputError(`rules folder cannot be read: ${(error as Error).message.split('\n')[0]}`, dir);
  }
  return names.filter(isRuleTestFileName).sort().map((name) => join(dir, name));
}

/** A path on the command line: a test file, or a folder of them. */
function testFilesAt(path: string): string[] {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new InputError('no such file or folder', path);
  }
  if (folder) return testFilesIn(path);
  if (!isRuleTestFileName(basename(path))) throw new InputError('not a rule test file: its name must end in .test.yml', path);
  return [path];
}

/**
 * Without paths: the tests of the team's own rules (the config's rulesDirs), which are what a team
 * changes; with no rulesDirs, those of the built-in rules (release-lint's own suite, a reader
 * learning the format).
 */
async function defaultTestFiles({ options }: Invocation): Promise<string[]> {
  const folder = resolve(options.repo ?? '.');
  const root = !existsSync(folder) ? folder : await locateRepository(folder).then((l) => l.root, () => folder);
  const { rulesDirs } = await loadConfig(root, options.config, configLoading(options));
  return rulesDirs.length > 0 ? rulesDirs.flatMap(testFilesIn) : testFilesIn(builtInRulesDir);
}
