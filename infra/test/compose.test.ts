/**
 * Static checks of the deployment files (docker-compose.yml, infra/docker/*.Dockerfile) against each
 * other and against the code they run. No Docker engine is needed: everything here is read from disk.
 *
 * Each check collects every problem it finds and compares the list with [], so one run names every
 * wrong service or key at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = resolve(__dirname, '../..');
const composeFile = join(repoRoot, 'docker-compose.yml');
/** The backend's environment schema: a zod object whose keys are the variable names. */
const configSchemaFile = join(repoRoot, 'backend/src/config/config.schema.ts');

/**
 * Variables the compose file may interpolate without a default (`:-`) or a required-message (`:?`).
 * Such a variable silently becomes "" when unset, so each entry must say why that is acceptable.
 * Format: NAME: 'why an empty value is fine'.
 */
const UNGUARDED_VARIABLES: Record<string, string> = {};

/** The variable each published app listens on; its value must be the container port it publishes. */
const LISTEN_PORT_VARIABLE: Record<string, string> = {
  api: 'CAIRN_API_PORT',
  web: 'CAIRN_WEB_PORT',
};

/** The compose profile that holds the Cairn processes, and exactly which services belong to it. */
const APPS_PROFILE = 'apps';
const APP_SERVICES = ['api', 'migrate', 'web', 'worker'];

/** Keys backend/src/config/config.ts refuses to start without when NODE_ENV=production. */
const REQUIRED_IN_PRODUCTION = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'CAIRN_SECRET_KEY'];

/** Variables the apps get that must be keys of the backend config schema. */
const isConfigVariable = (key: string) =>
  key.startsWith('CAIRN_') || key.startsWith('TEMPORAL_') || key === 'DATABASE_URL' || key === 'NODE_ENV';

// ---------------------------------------------------------------------------------------------------
// Reading the compose file
// ---------------------------------------------------------------------------------------------------

interface Build {
  context: string;
  dockerfile: string;
  target?: string;
}

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number | string; published?: number | string; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  profiles?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
}

interface Compose {
  services: Record<string, Service>;
}

function loadCompose(): Compose {
  // merge: true resolves `<<: *anchor` the way Compose does (a YAML 1.1 feature, off by default).
  const doc = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as Compose;
  if (!doc || typeof doc.services !== 'object') throw new Error('docker-compose.yml has no services');
  return doc;
}

function buildOf(service: Service): Build | undefined {
  if (service.build === undefined) return undefined;
  if (typeof service.build === 'string') return { context: service.build, dockerfile: 'Dockerfile' };
  return {
    context: service.build.context ?? '.',
    dockerfile: service.build.dockerfile ?? 'Dockerfile',
    target: service.build.target,
  };
}

/** The environment as Compose hands it over; `undefined` means "copied from the host, unchecked". */
function envOf(service: Service): Record<string, string | undefined> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]),
  );
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v?.condition ?? 'service_started']));
}

interface PublishedPort {
  raw: string;
  hostPort?: number;
  containerPort: number;
}

function portsOf(service: Service): PublishedPort[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') {
      return {
        raw: JSON.stringify(p),
        hostPort: p.published === undefined ? undefined : Number(p.published),
        containerPort: Number(p.target),
      };
    }
    const raw = String(p);
    // [IP:]HOST:CONTAINER[/proto] or CONTAINER[/proto]; an IPv6 host IP is written in brackets.
    const withoutProto = raw.replace(/\/(tcp|udp|sctp)$/, '');
    const withoutIp = withoutProto.replace(/^\[[^\]]*\]:/, '');
    const parts = withoutIp.split(':');
    const containerPort = Number(parts[parts.length - 1]);
    const hostPort = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
    return { raw, hostPort, containerPort };
  });
}

// ---------------------------------------------------------------------------------------------------
// Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
// ${VAR?message}, ${VAR:+alternate}, ${VAR+alternate}; defaults may themselves interpolate.
// ---------------------------------------------------------------------------------------------------

type InterpolationForm = 'bare' | 'default' | 'required' | 'alternate';

interface Interpolation {
  name: string;
  form: InterpolationForm;
  /** Text after the operator: the default, the message or the alternate value. */
  argument: string;
  /** Index just past the interpolation in the scanned string. */
  end: number;
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Reads the interpolation starting at text[start] === '$'; a string is a syntax error to report. */
function readInterpolation(text: string, start: number): Interpolation | 'escaped' | string {
  const next = text[start + 1];
  if (next === '$') return 'escaped';
  if (next === '{') {
    const close = closingBrace(text, start + 1);
    if (close < 0) return `unterminated "\${" in ${JSON.stringify(text)}`;
    const inner = text.slice(start + 2, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
    if (!m) return `"\${${inner}}" is not a valid interpolation`;
    const op = m[2] ?? '';
    const form: InterpolationForm =
      op === '' ? 'bare' : op.endsWith('-') ? 'default' : op.endsWith('?') ? 'required' : 'alternate';
    return { name: m[1]!, form, argument: m[3] ?? '', end: close + 1 };
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(start + 1));
  if (m) return { name: m[0], form: 'bare', argument: '', end: start + 1 + m[0].length };
  return `lone "$" in ${JSON.stringify(text)} (Compose rejects it; write $$ for a literal dollar sign)`;
}

function scanInterpolations(text: string, found: Interpolation[], errors: string[]): void {
  for (let i = 0; i < text.length;) {
    if (text[i] !== '$') {
      i++;
      continue;
    }
    const read = readInterpolation(text, i);
    if (read === 'escaped') i += 2;
    else if (typeof read === 'string') {
      errors.push(read);
      i++;
    } else {
      found.push(read);
      if (read.form === 'default' || read.form === 'alternate')
        scanInterpolations(read.argument, found, errors);
      i = read.end;
    }
  }
}

/**
 * The value a container gets when the operator sets no variable at all, or undefined when that
 * depends on a variable without a default (required or bare).
 */
function valueWithDefaults(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text[i] !== '$') {
      out += text[i++];
      continue;
    }
    const read = readInterpolation(text, i);
    if (read === 'escaped') {
      out += '$';
      i += 2;
      continue;
    }
    if (typeof read === 'string') return undefined;
    if (read.form === 'default') {
      const inner = valueWithDefaults(read.argument);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (read.form !== 'alternate') return undefined; // alternate: "" while the variable is unset
    i = read.end;
  }
  return out;
}

/** Every string value in the document with its path (Compose interpolates values, not keys). */
function* stringValues(node: unknown, path: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* stringValues(v, `${path}[${i}]`);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) yield* stringValues(v, path ? `${path}.${k}` : k);
}

// ---------------------------------------------------------------------------------------------------
// Reading Dockerfiles
// ---------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

function instructionsOf(dockerfile: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    // Continuation lines; comment lines inside a continued instruction are dropped like Docker does.
    while (/\\\s*$/.test(text) && i + 1 < lines.length) {
      text = text.replace(/\\\s*$/, ' ');
      const next = lines[++i]!;
      if (!/^\s*#/.test(next)) text += next;
    }
    const m = /^\s*(\w+)\s*([\s\S]*)$/.exec(text);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: startLine });
  }
  return out;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function stagesOf(dockerfile: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructionsOf(dockerfile)) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`${dockerfile}:${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ image: m[1]!, name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/i.exec(`${ins.keyword} ${ins.args}`);
      if (arg) globalArgs[arg[1]!] = arg[2]!;
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

/** Dockerfiles the compose file builds, with the services and targets that use each. */
function dockerfilesUsed(compose: Compose): Map<string, { service: string; target?: string }[]> {
  const used = new Map<string, { service: string; target?: string }[]>();
  for (const [name, service] of Object.entries(compose.services)) {
    const build = buildOf(service);
    if (!build) continue;
    const path = resolve(dirname(composeFile), build.context, build.dockerfile);
    used.set(path, [...(used.get(path) ?? []), { service: name, target: build.target }]);
  }
  return used;
}

const rel = (path: string) => relative(repoRoot, path);

// ---------------------------------------------------------------------------------------------------
// The backend config schema
// ---------------------------------------------------------------------------------------------------

function configSchemaKeys(): Set<string> {
  if (!existsSync(configSchemaFile)) {
    throw new Error(`${rel(configSchemaFile)} not found: the compose check reads the known env keys from it`);
  }
  const source = readFileSync(configSchemaFile, 'utf8');
  const head = /envSchema\s*=\s*z\s*\.\s*object\s*\(\s*\{/.exec(source);
  if (!head) throw new Error(`${rel(configSchemaFile)}: no "envSchema = z.object({" found`);
  const open = head.index + head[0].length - 1;
  const close = closingBrace(source, open);
  const body = source.slice(open + 1, close < 0 ? undefined : close);
  const keys = new Set([...body.matchAll(/^\s*['"]?([A-Z][A-Z0-9_]*)['"]?\s*:/gm)].map((m) => m[1]!));
  if (keys.size === 0) throw new Error(`${rel(configSchemaFile)}: envSchema has no UPPER_CASE keys`);
  return keys;
}

// ---------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const services = compose.services;
  const appServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('builds every app from a Dockerfile and stage that exist', () => {
    const problems: string[] = [];
    for (const [name, service] of appServices) {
      const build = buildOf(service)!;
      const context = resolve(dirname(composeFile), build.context);
      const dockerfile = resolve(context, build.dockerfile);
      if (!existsSync(context)) {
        problems.push(`services.${name}.build.context: ${build.context} does not exist`);
        continue;
      }
      if (!existsSync(dockerfile)) {
        problems.push(
          `services.${name}.build.dockerfile: ${rel(dockerfile)} does not exist (relative to context ${build.context})`,
        );
        continue;
      }
      const stageNames = stagesOf(dockerfile).stages.flatMap((s) => (s.name ? [s.name] : []));
      if (build.target === undefined) {
        if (stageNames.length > 1)
          problems.push(
            `services.${name}.build.target: missing; ${rel(dockerfile)} has stages ${stageNames.join(', ')}`,
          );
      } else if (!stageNames.includes(build.target)) {
        problems.push(
          `services.${name}.build.target: "${build.target}" is not a "FROM … AS ${build.target}" stage of ${rel(dockerfile)} (stages: ${stageNames.join(', ')})`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('copies every workspace manifest before the first npm ci, so the lockfile matches', () => {
    const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      workspaces?: string[];
    };
    const workspaces = (rootManifest.workspaces ?? []).flatMap((w) =>
      w.endsWith('/*')
        ? readdirSync(join(repoRoot, w.slice(0, -2)), { withFileTypes: true })
            .filter(
              (d) => d.isDirectory() && existsSync(join(repoRoot, w.slice(0, -2), d.name, 'package.json')),
            )
            .map((d) => `${w.slice(0, -2)}/${d.name}`)
        : [w],
    );
    const needed = ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)];
    const problems: string[] = [];
    for (const dockerfile of dockerfilesUsed(compose).keys()) {
      if (!existsSync(dockerfile)) continue; // reported by the test above
      const instructions = stagesOf(dockerfile).stages.flatMap((s) => s.instructions);
      const firstInstall = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm\s+ci\b/.test(i.args));
      if (firstInstall < 0) continue;
      const copied = new Set(
        instructions
          .slice(0, firstInstall)
          .filter((i) => i.keyword === 'COPY')
          .flatMap((i) =>
            i.args
              .split(/\s+/)
              .filter((a) => !a.startsWith('--'))
              .slice(0, -1),
          )
          .map((src) => src.replace(/^\.\//, '')),
      );
      for (const file of needed) {
        if (!copied.has(file))
          problems.push(
            `${rel(dockerfile)}: ${file} is not copied before the first "npm ci" (line ${instructions[firstInstall]!.line})`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes exec-form Dockerfile instructions as valid JSON (Docker silently falls back to a shell otherwise)', () => {
    const problems: string[] = [];
    for (const dockerfile of dockerfilesUsed(compose).keys()) {
      if (!existsSync(dockerfile)) continue;
      for (const stage of stagesOf(dockerfile).stages) {
        for (const ins of stage.instructions) {
          if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'RUN', 'SHELL'].includes(ins.keyword)) continue;
          const args =
            ins.keyword === 'HEALTHCHECK' ? (/\bCMD\s+([\s\S]*)$/.exec(ins.args)?.[1] ?? '') : ins.args;
          if (!args.startsWith('[')) continue;
          try {
            const parsed: unknown = JSON.parse(args);
            if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
              throw new Error('not an array of strings');
          } catch (error) {
            problems.push(
              `${rel(dockerfile)}:${ins.line} ${ins.keyword}: exec form is not a JSON array of strings (${(error as Error).message})`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts each target with an entry point the backend build produces', () => {
    const problems: string[] = [];
    for (const [dockerfile, users] of dockerfilesUsed(compose)) {
      if (!existsSync(dockerfile)) continue;
      const stages = stagesOf(dockerfile).stages;
      for (const { service, target } of users) {
        // A stage's command is its own CMD or, failing that, the one of the stage it is built FROM.
        let stage = stages.find((s) => s.name === target);
        let cmd: string | undefined;
        while (stage && cmd === undefined) {
          cmd = [...stage.instructions].reverse().find((i) => i.keyword === 'CMD')?.args;
          const parent = stage.image;
          stage = stages.find((s) => s.name === parent);
        }
        if (cmd === undefined) {
          problems.push(`services.${service}: stage "${target}" of ${rel(dockerfile)} has no CMD`);
          continue;
        }
        for (const m of cmd.matchAll(/\b([\w.-]+(?:\/[\w.-]+)*)\/dist\/([\w./-]+)\.js\b/g)) {
          const source = `${m[1]}/src/${m[2]}.ts`;
          if (!existsSync(join(repoRoot, source))) {
            problems.push(
              `services.${service}: target "${target}" runs ${m[1]}/dist/${m[2]}.js, but ${source} does not exist`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every interpolated variable a default (:-) or a required-message (:?)', () => {
    // Keyed by variable (or by bad text), so a value shared through an anchor is reported once, at the
    // first place it appears.
    const problems = new Map<string, string>();
    for (const [path, value] of stringValues(compose, '')) {
      const found: Interpolation[] = [];
      const errors: string[] = [];
      scanInterpolations(value, found, errors);
      for (const e of errors) if (!problems.has(e)) problems.set(e, `${path}: ${e}`);
      for (const i of found) {
        if (i.form === 'default' || i.form === 'required') continue;
        if (i.name in UNGUARDED_VARIABLES || problems.has(i.name)) continue;
        problems.set(
          i.name,
          `\${${i.name}} (first at ${path}) has no default and no required-message: write \${${i.name}:-value} or \${${i.name}:?why}, or list it in UNGUARDED_VARIABLES with a reason`,
        );
      }
    }
    // `KEY:` with no value (or a bare `- KEY`) copies the variable from the host without any check.
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(service))) {
        if (value === undefined)
          problems.set(
            `${name}.${key}`,
            `services.${name}.environment.${key}: no value, so it is copied unchecked from the host environment`,
          );
      }
    }
    expect([...problems.values()]).toEqual([]);
  });

  it('passes the apps only configuration keys the backend config schema knows, and all the production-required ones', () => {
    const known = configSchemaKeys();
    const problems: string[] = [];
    for (const [name, service] of appServices) {
      const env = envOf(service);
      for (const key of Object.keys(env)) {
        if (isConfigVariable(key) && !known.has(key)) {
          problems.push(
            `services.${name}.environment.${key}: not a key of envSchema in ${rel(configSchemaFile)}`,
          );
        }
      }
      if (env.NODE_ENV === 'production') {
        for (const key of REQUIRED_IN_PRODUCTION) {
          if (!(key in env))
            problems.push(
              `services.${name}.environment.${key}: missing, but required when NODE_ENV=production`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every app the same configuration (the x-cairn-env anchor)', () => {
    const [first, ...rest] = appServices;
    const problems: string[] = [];
    if (first) {
      const reference = envOf(first[1]);
      for (const [name, service] of rest) {
        const env = envOf(service);
        for (const key of new Set([...Object.keys(reference), ...Object.keys(env)])) {
          if (reference[key] !== env[key]) {
            problems.push(
              `services.${name}.environment.${key}: ${JSON.stringify(env[key])}, but services.${first[0]} has ${JSON.stringify(reference[key])}`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('publishes each app on the port it is configured to listen on', () => {
    const problems: string[] = [];
    for (const [name, service] of appServices) {
      const ports = portsOf(service);
      if (ports.length === 0) continue;
      const variable = LISTEN_PORT_VARIABLE[name];
      if (!variable) {
        problems.push(
          `services.${name}.ports: published, but LISTEN_PORT_VARIABLE in this test does not say which variable it listens on`,
        );
        continue;
      }
      const configured = envOf(service)[variable];
      const port = configured === undefined ? undefined : Number(valueWithDefaults(configured));
      if (port === undefined || !Number.isInteger(port)) {
        problems.push(
          `services.${name}.environment.${variable}: needs a literal port (or a default) to compare with its published port, got ${JSON.stringify(configured)}`,
        );
        continue;
      }
      for (const p of ports) {
        if (p.containerPort !== port) {
          problems.push(
            `services.${name}.ports "${p.raw}": container port ${p.containerPort}, but ${variable}=${port}`,
          );
        }
      }
    }
    // The default public URL, when it is this machine, must be the host port the web app is published on.
    const web = services.web;
    const publicUrl = web && envOf(web).CAIRN_PUBLIC_URL;
    const publicDefault = publicUrl && valueWithDefaults(publicUrl);
    if (web && publicDefault) {
      const url = new URL(publicDefault);
      if (['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
        const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
        const hostPorts = portsOf(web).map((p) => p.hostPort);
        if (!hostPorts.includes(port)) {
          problems.push(
            `services.web.environment.CAIRN_PUBLIC_URL: default ${publicDefault} uses port ${port}, but web publishes host ports ${JSON.stringify(hostPorts)}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('points the apps at services that exist, on the ports and namespace those services use', () => {
    const problems: string[] = [];
    const temporalService = Object.entries(services).find(([, s]) =>
      /^temporalio\/(auto-setup|server)\b/.test(s.image ?? ''),
    );
    for (const [name, service] of appServices) {
      const env = envOf(service);
      const at = (key: string) => `services.${name}.environment.${key}`;
      for (const key of ['DATABASE_URL', 'CAIRN_API_URL']) {
        const value = env[key] === undefined ? undefined : valueWithDefaults(env[key]!);
        if (!value) continue;
        const url = new URL(value);
        const target = services[url.hostname];
        if (!target) {
          problems.push(`${at(key)}: host "${url.hostname}" is not a service of this compose file`);
          continue;
        }
        const listenVariable = LISTEN_PORT_VARIABLE[url.hostname];
        const listenValue = listenVariable && envOf(target)[listenVariable];
        if (listenVariable && listenValue !== undefined && url.port !== valueWithDefaults(listenValue)) {
          problems.push(
            `${at(key)}: port ${url.port || '(none)'}, but services.${url.hostname} listens on ${listenVariable}=${listenValue}`,
          );
        }
      }
      const address = env.TEMPORAL_ADDRESS;
      if (address !== undefined) {
        const host = address.split(':')[0]!;
        if (!services[host])
          problems.push(`${at('TEMPORAL_ADDRESS')}: host "${host}" is not a service of this compose file`);
      }
      const namespace = env.TEMPORAL_NAMESPACE;
      if (temporalService && namespace !== undefined) {
        const [temporalName, temporal] = temporalService;
        const created = envOf(temporal).DEFAULT_NAMESPACE ?? 'default';
        if (created !== namespace) {
          problems.push(
            `${at('TEMPORAL_NAMESPACE')}: "${namespace}", but services.${temporalName} creates namespace "${created}" (DEFAULT_NAMESPACE)`,
          );
        }
        const probe = [temporal.healthcheck?.test ?? []].flat().join(' ');
        const probed = /--namespace[\s=]+(\S+)/.exec(probe)?.[1];
        if (probed !== undefined && probed !== namespace) {
          problems.push(
            `services.${temporalName}.healthcheck: waits for namespace "${probed}", but ${at('TEMPORAL_NAMESPACE')} is "${namespace}"`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('depends only on services that exist, with conditions those services can meet', () => {
    const problems: string[] = [];
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(service))) {
        const at = `services.${name}.depends_on.${dep}`;
        const target = services[dep];
        if (!target) {
          problems.push(`${at}: no service named "${dep}"`);
          continue;
        }
        if (!conditions.includes(condition)) problems.push(`${at}: unknown condition "${condition}"`);
        if (condition === 'service_healthy' && (!target.healthcheck?.test || target.healthcheck.disable)) {
          problems.push(`${at}: waits for service_healthy, but services.${dep} defines no healthcheck here`);
        }
        if (
          condition === 'service_completed_successfully' &&
          ['always', 'unless-stopped'].includes(target.restart ?? '')
        ) {
          problems.push(
            `${at}: waits for service_completed_successfully, but services.${dep} restarts "${target.restart}" and never stays completed`,
          );
        }
        // A dependency must be enabled whenever the dependent is: no profile, or every profile of the dependent.
        const depProfiles = target.profiles ?? [];
        const ownProfiles = service.profiles ?? [];
        if (
          depProfiles.length > 0 &&
          (ownProfiles.length === 0 || !ownProfiles.every((p) => depProfiles.includes(p)))
        ) {
          problems.push(
            `${at}: services.${dep} is only in profiles [${depProfiles.join(', ')}], but services.${name} runs in [${ownProfiles.join(', ') || 'default'}]`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it(`keeps exactly ${APP_SERVICES.join(', ')} in the "${APPS_PROFILE}" profile`, () => {
    const inProfile = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes(APPS_PROFILE))
      .map(([name]) => name);
    const problems = [
      ...APP_SERVICES.filter((n) => !inProfile.includes(n)).map(
        (n) => `services.${n}: missing from profile "${APPS_PROFILE}"`,
      ),
      ...inProfile
        .filter((n) => !APP_SERVICES.includes(n))
        .map(
          (n) => `services.${n}: in profile "${APPS_PROFILE}", which holds only ${APP_SERVICES.join(', ')}`,
        ),
    ];
    expect(problems).toEqual([]);
  });

  it('checks api liveness at /api/health/live on CAIRN_API_PORT', () => {
    const api = services.api;
    expect(api, 'services.api is missing').toBeDefined();
    const test = [api!.healthcheck?.test ?? []].flat().join(' ');
    const port = envOf(api!).CAIRN_API_PORT;
    const problems: string[] = [];
    if (!test.includes('/api/health/live'))
      problems.push(
        `services.api.healthcheck.test: does not request /api/health/live (${JSON.stringify(test)})`,
      );
    if (!test.includes('CAIRN_API_PORT') && !(port && test.includes(`:${port}/`))) {
      problems.push(`services.api.healthcheck.test: does not use CAIRN_API_PORT (${JSON.stringify(port)})`);
    }
    expect(problems).toEqual([]);
  });
});

describe('image versions', () => {
  /** An image reference is pinned when it has a digest, or a tag other than "latest". */
  const pinProblem = (image: string): string | undefined => {
    if (image.includes('@sha256:')) return undefined;
    const lastPart = image.slice(image.lastIndexOf('/') + 1);
    const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
    if (tag === undefined) return `"${image}" has no tag (means latest)`;
    if (tag === 'latest') return `"${image}" uses the latest tag`;
    return undefined;
  };

  it('pins every image in docker-compose.yml and every base image of the Dockerfiles it builds', () => {
    const compose = loadCompose();
    const problems: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image === undefined) continue;
      const image = valueWithDefaults(service.image);
      const problem = image === undefined ? `"${service.image}" has no default version` : pinProblem(image);
      if (problem) problems.push(`services.${name}.image: ${problem}`);
    }
    for (const dockerfile of dockerfilesUsed(compose).keys()) {
      if (!existsSync(dockerfile)) continue;
      const { globalArgs, stages } = stagesOf(dockerfile);
      const stageNames = new Set(stages.flatMap((s) => (s.name ? [s.name] : [])));
      for (const stage of stages) {
        if (stageNames.has(stage.image) || stage.image === 'scratch') continue;
        const image = stage.image.replace(
          /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
          (_, arg: string) => globalArgs[arg] ?? `$${arg}`,
        );
        const problem = image.includes('$')
          ? `"${stage.image}" uses an ARG without a default`
          : pinProblem(image);
        if (problem) problems.push(`${rel(dockerfile)}: FROM ${problem}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
