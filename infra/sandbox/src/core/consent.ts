/**
 * The OAuth consent page both emulators serve, and a tiny "browser" that clicks its buttons, so tests
 * and demo scripts can walk an authorization-code flow end to end without a real browser.
 */
import { escapeHtml } from './server';

export interface ConsentPage {
  title: string;
  appName: string;
  account: string;
  scopes: string[];
  /** Where the form posts. */
  action: string;
  /** Hidden fields posted with the decision. */
  fields: Record<string, string>;
  /** Brand colour for the header. */
  accent: string;
}

export function renderConsentPage(page: ConsentPage): string {
  const hidden = Object.entries(page.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  const scopes = page.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(page.title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 0; background: #f5f8fa; color: #33475b; }
    header { background: ${page.accent}; color: white; padding: 16px 24px; font-weight: 600; }
    main { max-width: 520px; margin: 32px auto; background: white; padding: 24px; border-radius: 6px;
           box-shadow: 0 1px 3px rgba(0,0,0,.12); }
    button { font-size: 15px; padding: 8px 20px; border-radius: 4px; border: 1px solid ${page.accent}; cursor: pointer; }
    button[value=approve] { background: ${page.accent}; color: white; }
    button[value=deny] { background: white; color: ${page.accent}; }
    .sandbox { font-size: 12px; color: #7c98b6; margin-top: 24px; }
  </style>
</head>
<body>
  <header>${escapeHtml(page.title)}</header>
  <main>
    <p><strong>${escapeHtml(page.appName)}</strong> wants to access <strong>${escapeHtml(page.account)}</strong>.</p>
    <p>It is asking for:</p>
    <ul>${scopes}</ul>
    <form method="post" action="${escapeHtml(page.action)}" id="consent">
      ${hidden}
      <button type="submit" name="decision" value="approve" id="approve">Approve</button>
      <button type="submit" name="decision" value="deny" id="deny">Deny</button>
    </form>
    <p class="sandbox">This is the Cairn sandbox emulator, not the real service.</p>
  </main>
</body>
</html>`;
}

export interface ConsentOutcome {
  /** The Location the consent redirected to. */
  location: string;
  /** Query parameters of that redirect (`code`, `state`, or `error`…). */
  params: Record<string, string>;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * Opens an authorization URL like a browser would, then presses Approve (or Deny) on the consent page
 * and returns where the emulator redirected to. Throws with the page's text when there is no form
 * (e.g. an invalid client_id error page).
 */
export async function completeConsent(
  authorizeUrl: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<ConsentOutcome> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (page.status !== 200 || !form) {
    throw new Error(`authorization page answered ${page.status}: ${html.replace(/<[^>]+>/g, ' ').trim()}`);
  }
  const body = new URLSearchParams();
  for (const m of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    body.append(decodeEntities(m[1] ?? ''), decodeEntities(m[2] ?? ''));
  }
  body.append('decision', decision);
  const action = new URL(decodeEntities(form[1] ?? ''), authorizeUrl).toString();
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`consent answered ${res.status} without a redirect: ${await res.text()}`);
  const params: Record<string, string> = {};
  new URL(location).searchParams.forEach((v, k) => (params[k] = v));
  return { location, params };
}
