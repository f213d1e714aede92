import type { CairnConfig } from '../config/config';
import type { RunningStack } from '../runtime/stack';

export function printBanner(stack: RunningStack, config: CairnConfig, startMs: number): void {
  const lines = [
    '',
    `  Cairn is running (ready in ${(startMs / 1000).toFixed(1)} s)`,
    '',
    `  Web app      ${stack.webUrl}`,
    `  API          ${stack.apiUrl}/api   (docs: ${stack.apiUrl}/api/docs)`,
    stack.temporalUiUrl
      ? `  Temporal UI  ${stack.temporalUiUrl}`
      : `  Temporal     ${config.temporal.address}`,
    `  Data         ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}   logs: ${config.dataDir}/logs`,
  ];
  if (stack.sandbox) {
    lines.push(`  CRM sandbox  HubSpot ${stack.sandbox.hubspot}   Salesforce ${stack.sandbox.salesforce}`);
  }
  if (stack.demo) {
    lines.push('', '  Demo workspace — sign in with:');
    for (const u of stack.demo.users)
      lines.push(`    ${u.role.padEnd(9)} ${u.email.padEnd(28)} ${stack.demo.password}`);
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
