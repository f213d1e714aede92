import { readPath } from './property-path';

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

/** Why a template's merge fields cannot be rendered, or null when they all can. */
export function mergeFieldProblem(template: string): string | null {
  for (const [, name = ''] of template.matchAll(TOKEN)) {
    if (!FIELD.test(name)) {
      return `"{{${name}}}" is not a merge field: use names like {{first_name}} or {{account.name}}`;
    }
  }
  const rest = template.replace(TOKEN, '');
  return rest.includes('{{') || rest.includes('}}') ? 'a merge field is missing its "{{" or "}}"' : null;
}

export interface RenderedTemplate {
  text: string;
  /** Fields with no usable value, each once, in order of first use: the caller decides whether to send. */
  missing: string[];
}

export interface RenderOptions {
  /** `none` for plain-text destinations such as an email subject, where entities would show literally. */
  escape?: 'html' | 'none';
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Fills `{{first_name}}` and `{{account.name}}` from `data`; values are escaped as they may come from anyone. */
export function renderMergeFields(
  template: string,
  data: Readonly<Record<string, unknown>>,
  options: RenderOptions = {},
): RenderedTemplate {
  const missing = new Set<string>();
  const text = template.replace(TOKEN, (_token, name: string) => {
    const value = readPath(data, name);
    // Objects and arrays would render as "[object Object]" or a bare list: never what the author meant.
    if (
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') ||
      value === ''
    ) {
      missing.add(name);
      return '';
    }
    const raw = String(value);
    return options.escape === 'none' ? raw : raw.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
  });
  return { text, missing: [...missing] };
}
