/**
 * Named Alertmanager templates inlined into the fields that call them: an AlertmanagerConfig cannot
 * load template files, so its receivers carry the bodies of the `{{ define }}`s themselves and need
 * nothing mounted into Alertmanager.
 */

const ACTION = /\{\{(-?)([\s\S]*?)(-?)\}\}/g;
const OPENS = new Set(['if', 'range', 'with', 'define', 'block']);

/** The `{{ define "name" }}` bodies of a template file, with the define's own trim markers applied. */
export function templateDefinitions(text: string): Map<string, string> {
  const defs = new Map<string, string>();
  let depth = 0;
  let open: { name: string; bodyStart: number; trimStart: boolean } | undefined;
  for (const m of text.matchAll(ACTION)) {
    const action = m[2].trim();
    if (action.startsWith('/*')) continue;
    const word = action.split(/\s+/)[0];
    if (OPENS.has(word)) {
      const define = /^define "([^"]+)"$/.exec(action);
      if (define && depth === 0) open = { name: define[1], bodyStart: m.index + m[0].length, trimStart: m[3] === '-' };
      depth++;
    } else if (word === 'end') {
      depth--;
      if (depth === 0 && open) {
        let body = text.slice(open.bodyStart, m.index);
        if (open.trimStart) body = body.replace(/^\s+/, '');
        if (m[1] === '-') body = body.replace(/\s+$/, '');
        defs.set(open.name, body);
        open = undefined;
      }
    }
  }
  if (depth !== 0) throw new Error('unbalanced template actions');
  return defs;
}

/** `text` with every `{{ template "name" . }}` replaced by that template's body. */
export function inlineTemplates(text: string, defs: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{ template "([^"]+)" \. \}\}/g, (_, name: string) => {
    const body = defs.get(name);
    if (body === undefined) throw new Error(`no template named ${name}`);
    return body;
  });
}
