/**
 * Deterministic, realistic demo data: accounts/companies with domains, people with emails at those
 * domains, deals/opportunities moving through pipeline stages, email history — loaded into either
 * emulator — and a matching stream of behavioural events (page views, email engagement, sign-ups,
 * trials) sent through the real `@segment/analytics-node` client.
 *
 * Everything derives from `seed` and `now`: the same pair always gives the same data and events.
 */
import { Analytics } from '@segment/analytics-node';
import { Rng } from './core/random';
import { type HubSpotStore } from './hubspot/store';
import { sfDateTime } from './salesforce/soql';
import { type SalesforceStore } from './salesforce/store';

export interface SeedOptions {
  seed: string | number;
  accounts: number;
  contactsPerAccount: [number, number];
  /** People with no account yet (HubSpot contacts without a company; Salesforce Leads). */
  leads: number;
  dealsPerAccount: [number, number];
  emailsPerPerson: [number, number];
  owners: number;
  /** How far back history goes. */
  historyDays: number;
  /** The anchor "now" (epoch ms); defaults to the start of the current UTC day. */
  now?: number;
}

export const DEFAULT_SEED_OPTIONS: Omit<SeedOptions, 'now'> = {
  seed: 'cairn-demo',
  accounts: 40,
  contactsPerAccount: [2, 8],
  leads: 40,
  dealsPerAccount: [0, 2],
  emailsPerPerson: [0, 5],
  owners: 5,
  historyDays: 120,
};

export interface SeedOwner {
  key: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface SeedAccount {
  key: string;
  name: string;
  domain: string;
  industry: string;
  employees: number;
  annualRevenue: number;
  city: string;
  country: string;
  createdAt: number;
  ownerKey: string;
}

/** Where a person is on the journey, which drives their events. */
export type Persona = 'cold' | 'aware' | 'evaluating' | 'trialing' | 'customer' | 'churn-risk';

export interface SeedPerson {
  key: string;
  accountKey?: string;
  /** Company name for leads (people without an account). */
  company: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  phone: string;
  createdAt: number;
  ownerKey: string;
  persona: Persona;
  leadSource: 'Web' | 'Partner Referral' | 'Phone Inquiry' | 'Purchased List' | 'Other';
  /** Segment identifiers used by the event stream. */
  anonymousId: string;
  userId: string;
}

export const COMMON_STAGES = [
  'discovery',
  'qualified',
  'demo',
  'proposal',
  'negotiation',
  'won',
  'lost',
] as const;
export type CommonStage = (typeof COMMON_STAGES)[number];
export const HUBSPOT_STAGE: Record<CommonStage, string> = {
  discovery: 'appointmentscheduled',
  qualified: 'qualifiedtobuy',
  demo: 'presentationscheduled',
  proposal: 'decisionmakerboughtin',
  negotiation: 'contractsent',
  won: 'closedwon',
  lost: 'closedlost',
};
export const SALESFORCE_STAGE: Record<CommonStage, string> = {
  discovery: 'Prospecting',
  qualified: 'Qualification',
  demo: 'Value Proposition',
  proposal: 'Proposal/Price Quote',
  negotiation: 'Negotiation/Review',
  won: 'Closed Won',
  lost: 'Closed Lost',
};

export interface SeedDeal {
  key: string;
  accountKey: string;
  contactKeys: string[];
  name: string;
  amount: number;
  /** Stages entered, in order, with when. The last one is the current stage. */
  history: Array<{ stage: CommonStage; at: number }>;
  closeDate: number;
  ownerKey: string;
  createdAt: number;
}

export interface SeedEmail {
  key: string;
  personKey: string;
  dealKey?: string;
  direction: 'outbound' | 'inbound';
  subject: string;
  body: string;
  sentAt: number;
  ownerKey: string;
  openedAt?: number;
  clickedAt?: number;
  link?: string;
}

export interface SeedData {
  options: SeedOptions & { now: number };
  owners: SeedOwner[];
  accounts: SeedAccount[];
  people: SeedPerson[];
  deals: SeedDeal[];
  emails: SeedEmail[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Maya',
  'Noah',
  'Zoe',
  'Ethan',
  'Ines',
  'Lucas',
  'Priya',
  'Omar',
  'Hana',
  'Mateo',
  'Chloe',
  'Arjun',
  'Sofia',
  'Leo',
  'Nina',
  'Kai',
  'Elena',
  'Jonas',
  'Aisha',
  'Felix',
  'Mei',
  'Diego',
  'Lena',
  'Samir',
  'Freya',
  'Tomas',
  'Yuki',
  'Grace',
  'Ravi',
  'Clara',
  'Malik',
  'Ingrid',
  'Theo',
  'Amara',
  'Paolo',
  'Selin',
  'Victor',
  'Rosa',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Fischer',
  'Alvarez',
  'Kowalski',
  'Haddad',
  'Brennan',
  'Rossi',
  'Patel',
  'Novak',
  'Dubois',
  'Jensen',
  'Ibrahim',
  'Costa',
  'Walsh',
  'Schmidt',
  'Tanaka',
  'Oliveira',
  'Nguyen',
  'Larsen',
  'Mehta',
  'Keller',
  'Santos',
  'Murphy',
  'Varga',
  'Yilmaz',
  'Berg',
  'Quinn',
  'Adeyemi',
  'Horvat',
  'Silva',
  'Kim',
  'Zhou',
  'Reyes',
];
const COMPANY_A = [
  'Blue',
  'North',
  'Bright',
  'Iron',
  'Silver',
  'Green',
  'Clear',
  'Swift',
  'Red',
  'Stone',
  'Peak',
  'Harbor',
  'Quiet',
  'Bold',
  'Lumen',
  'Atlas',
];
const COMPANY_B = [
  'Ridge',
  'Field',
  'Wave',
  'Forge',
  'Leaf',
  'Path',
  'Grid',
  'Loop',
  'Works',
  'Labs',
  'Point',
  'Signal',
  'Vista',
  'Bridge',
  'Pine',
  'Cloud',
];
const COMPANY_SUFFIX = ['', '', ' Inc', ' GmbH', ' Ltd', ' Group', ' Systems', ' Analytics'];
const TLDS = ['com', 'com', 'com', 'io', 'co', 'de', 'co.uk', 'ai'];
const INDUSTRIES = [
  'Technology',
  'Finance',
  'Healthcare',
  'Retail',
  'Manufacturing',
  'Education',
  'Media',
  'Consulting',
];
const PLACES: Array<[string, string]> = [
  ['Berlin', 'Germany'],
  ['London', 'United Kingdom'],
  ['New York', 'United States'],
  ['Austin', 'United States'],
  ['Toronto', 'Canada'],
  ['Paris', 'France'],
  ['Amsterdam', 'Netherlands'],
  ['Stockholm', 'Sweden'],
  ['Sydney', 'Australia'],
  ['San Francisco', 'United States'],
  ['Dublin', 'Ireland'],
  ['Singapore', 'Singapore'],
];
const TITLES = [
  'VP Marketing',
  'Head of Growth',
  'Marketing Ops Manager',
  'CMO',
  'Sales Director',
  'RevOps Lead',
  'Demand Gen Manager',
  'Product Marketing Manager',
  'Head of Sales',
  'CRM Administrator',
  'Customer Success Lead',
  'Data Analyst',
];
const EMAIL_SUBJECTS = [
  'Quick question about your funnel',
  'Following up on our call',
  'Pricing for {company}',
  'Case study: how teams cut churn',
  'Your trial: next steps',
  'Proposal for {company}',
  'Re: onboarding timeline',
  'Journey mapping workshop invite',
  'Can we find 20 minutes?',
  'Security questionnaire',
  'Contract redlines',
  'Thanks for the demo',
];

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function between(rng: Rng, [lo, hi]: [number, number]): number {
  return rng.int(lo, hi);
}

/** Builds the whole data set from options; pure and deterministic. */
export function generateSeed(partial: Partial<SeedOptions> = {}): SeedData {
  const now = partial.now ?? Math.floor(Date.now() / DAY) * DAY;
  const options = { ...DEFAULT_SEED_OPTIONS, ...partial, now };
  const rng = new Rng(`seed:${options.seed}`);
  const span = options.historyDays * DAY;

  const owners: SeedOwner[] = Array.from({ length: options.owners }, (_, i) => {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    return {
      key: `owner-${i + 1}`,
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}@cairn-demo-seller.com`,
    };
  });

  const usedDomains = new Set<string>();
  const accounts: SeedAccount[] = [];
  for (let i = 0; i < options.accounts; i++) {
    let name = '';
    let domain = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      const base = `${rng.pick(COMPANY_A)}${rng.pick(COMPANY_B)}`;
      name = `${base}${rng.pick(COMPANY_SUFFIX)}`;
      domain = `${slug(base)}${attempt > 20 ? attempt : ''}.${rng.pick(TLDS)}`;
      if (!usedDomains.has(domain)) break;
    }
    usedDomains.add(domain);
    const [city, country] = rng.pick(PLACES);
    const employees = Math.round(Math.exp(rng.normal(5, 1.3)));
    accounts.push({
      key: `account-${i + 1}`,
      name,
      domain,
      industry: rng.pick(INDUSTRIES),
      employees: Math.max(3, employees),
      annualRevenue: Math.max(50_000, Math.round(employees * rng.int(60, 220)) * 1000),
      city,
      country,
      createdAt: now - span + rng.int(0, Math.floor(span * 0.5)),
      ownerKey: rng.pick(owners).key,
    });
  }

  const people: SeedPerson[] = [];
  const usedEmails = new Set<string>();
  const makePerson = (account: SeedAccount | undefined, company: string, domain: string): SeedPerson => {
    let firstName = rng.pick(FIRST_NAMES);
    let lastName = rng.pick(LAST_NAMES);
    let email = `${slug(firstName)}.${slug(lastName)}@${domain}`;
    for (let n = 2; usedEmails.has(email); n++) {
      firstName = rng.pick(FIRST_NAMES);
      lastName = rng.pick(LAST_NAMES);
      email = `${slug(firstName)}.${slug(lastName)}${n > 5 ? n : ''}@${domain}`;
    }
    usedEmails.add(email);
    const earliest = account ? account.createdAt : now - span;
    const key = `person-${people.length + 1}`;
    return {
      key,
      ...(account ? { accountKey: account.key } : {}),
      company,
      firstName,
      lastName,
      email,
      title: rng.pick(TITLES),
      phone: `+1 555 ${String(rng.int(100, 999))} ${String(rng.int(1000, 9999))}`,
      createdAt: earliest + rng.int(0, Math.max(1, now - earliest - 7 * DAY)),
      ownerKey: account ? account.ownerKey : rng.pick(owners).key,
      persona: 'cold',
      leadSource: rng.weighted(
        ['Web', 'Partner Referral', 'Phone Inquiry', 'Purchased List', 'Other'] as const,
        [6, 2, 1, 1, 1],
      ),
      anonymousId: rng.uuid(),
      userId: `usr_${rng.hex(12)}`,
    };
  };
  for (const account of accounts) {
    const n = between(rng, options.contactsPerAccount);
    for (let i = 0; i < n; i++) people.push(makePerson(account, account.name, account.domain));
  }
  for (let i = 0; i < options.leads; i++) {
    const base = `${rng.pick(COMPANY_A)}${rng.pick(COMPANY_B)}`;
    people.push(makePerson(undefined, base, `${slug(base)}.${rng.pick(TLDS)}`));
  }

  const deals: SeedDeal[] = [];
  for (const account of accounts) {
    const n = between(rng, options.dealsPerAccount);
    const contacts = people.filter((p) => p.accountKey === account.key);
    for (let i = 0; i < n && contacts.length; i++) {
      const createdAt = Math.max(account.createdAt, now - span) + rng.int(0, Math.floor(span * 0.6));
      // how far the deal got: 0 = discovery … 4 = negotiation; then maybe closed
      const reached = rng.weighted([0, 1, 2, 3, 4], [3, 3, 3, 2, 2]);
      const closed = rng.chance(0.45);
      const history: SeedDeal['history'] = [];
      let at = createdAt;
      for (let s = 0; s <= reached; s++) {
        history.push({ stage: COMMON_STAGES[s] as CommonStage, at });
        at += rng.int(2, 14) * DAY + rng.int(0, 8) * HOUR;
      }
      if (closed) history.push({ stage: rng.chance(0.5 + reached * 0.08) ? 'won' : 'lost', at });
      const bounded = history.filter((h) => h.at < now - HOUR);
      if (!bounded.length) continue;
      const roles = rng.shuffle(contacts).slice(0, Math.min(contacts.length, rng.int(1, 3)));
      deals.push({
        key: `deal-${deals.length + 1}`,
        accountKey: account.key,
        contactKeys: roles.map((c) => c.key),
        name: `${account.name} — ${rng.pick(['Growth', 'Enterprise', 'Starter', 'Expansion', 'Pilot'])} plan`,
        amount: rng.int(6, 160) * 500,
        history: bounded,
        closeDate: (bounded[bounded.length - 1] as { at: number }).at + rng.int(7, 60) * DAY,
        ownerKey: account.ownerKey,
        createdAt: (bounded[0] as { at: number }).at,
      });
    }
  }

  // personas from deals
  for (const p of people) {
    const accountDeals = deals.filter((d) => d.accountKey === p.accountKey);
    const stages = accountDeals.map((d) => (d.history[d.history.length - 1] as { stage: CommonStage }).stage);
    if (stages.includes('won')) p.persona = rng.chance(0.2) ? 'churn-risk' : 'customer';
    else if (stages.some((s) => s === 'proposal' || s === 'negotiation')) p.persona = 'trialing';
    else if (stages.length && !stages.every((s) => s === 'lost')) p.persona = 'evaluating';
    else p.persona = rng.weighted(['cold', 'aware', 'evaluating'] as const, [3, 4, 2]);
  }

  const emails: SeedEmail[] = [];
  for (const p of people) {
    const n = between(rng, options.emailsPerPerson) + (p.persona === 'cold' ? 0 : 1);
    const deal = deals.find((d) => d.contactKeys.includes(p.key));
    let at = Math.max(p.createdAt, now - span) + rng.int(1, 10) * DAY;
    for (let i = 0; i < n && at < now - HOUR; i++) {
      const inbound = i > 0 && rng.chance(0.3);
      const subject = rng.pick(EMAIL_SUBJECTS).replace('{company}', p.company);
      const opened = !inbound && rng.chance(p.persona === 'cold' ? 0.2 : 0.6);
      const clicked = opened && rng.chance(0.35);
      const openedAt = opened ? at + rng.int(5, 60 * 24) * 60_000 : undefined;
      emails.push({
        key: `email-${emails.length + 1}`,
        personKey: p.key,
        ...(deal ? { dealKey: deal.key } : {}),
        direction: inbound ? 'inbound' : 'outbound',
        subject: inbound ? `Re: ${subject}` : subject,
        body: inbound
          ? `Hi, thanks — ${rng.pick(['that works for us', 'can you send pricing?', 'let us regroup next week', 'looping in our ops lead'])}.`
          : `Hi ${p.firstName}, ${rng.pick(['following up on', 'sharing more about', 'circling back on'])} journey analytics for ${p.company}.`,
        sentAt: at,
        ownerKey: p.ownerKey,
        ...(openedAt !== undefined && openedAt < now ? { openedAt } : {}),
        ...(clicked && openedAt !== undefined && openedAt + 2 * 60_000 < now
          ? {
              clickedAt: openedAt + rng.int(1, 30) * 60_000,
              link: rng.pick(['/pricing', '/case-studies', '/docs/getting-started', '/demo']),
            }
          : {}),
      });
      at += rng.int(2, 12) * DAY;
    }
  }

  return { options, owners, accounts, people, deals, emails };
}

// ------------------------------------------------------------------------------------ loading

export interface SeededIds {
  /** Seed key → CRM id. */
  ids: Map<string, string>;
}

/** Loads the data into a HubSpot emulator store (companies, contacts, deals with stage history, emails, associations). */
export function seedHubSpot(store: HubSpotStore, data: SeedData): SeededIds {
  const ids = new Map<string, string>();
  for (const o of data.owners)
    ids.set(o.key, store.addOwner({ email: o.email, firstName: o.firstName, lastName: o.lastName }).id);
  for (const a of data.accounts) {
    const r = store.create(
      'companies',
      {
        name: a.name,
        domain: a.domain,
        website: `https://www.${a.domain}`,
        industry: a.industry,
        numberofemployees: String(a.employees),
        annualrevenue: String(a.annualRevenue),
        city: a.city,
        country: a.country,
        hubspot_owner_id: ids.get(a.ownerKey) ?? null,
      },
      { createdAt: new Date(a.createdAt) },
    );
    ids.set(a.key, r.id);
  }
  const lifecycle: Record<Persona, string> = {
    cold: 'subscriber',
    aware: 'lead',
    evaluating: 'marketingqualifiedlead',
    trialing: 'opportunity',
    customer: 'customer',
    'churn-risk': 'customer',
  };
  const source: Record<SeedPerson['leadSource'], string> = {
    Web: 'ORGANIC_SEARCH',
    'Partner Referral': 'REFERRALS',
    'Phone Inquiry': 'OFFLINE',
    'Purchased List': 'OTHER_CAMPAIGNS',
    Other: 'DIRECT_TRAFFIC',
  };
  for (const p of data.people) {
    const r = store.create(
      'contacts',
      {
        email: p.email,
        firstname: p.firstName,
        lastname: p.lastName,
        jobtitle: p.title,
        phone: p.phone,
        company: p.company,
        lifecyclestage: lifecycle[p.persona],
        hs_analytics_source: source[p.leadSource],
        hubspot_owner_id: ids.get(p.ownerKey) ?? null,
      },
      { createdAt: new Date(p.createdAt) },
    );
    ids.set(p.key, r.id);
    if (p.accountKey) {
      store.associate('contacts', r.id, 'companies', ids.get(p.accountKey) as string, {
        at: new Date(p.createdAt),
      });
    }
  }
  for (const d of data.deals) {
    const first = d.history[0] as { stage: CommonStage; at: number };
    const r = store.create(
      'deals',
      {
        dealname: d.name,
        amount: String(d.amount),
        pipeline: 'default',
        dealstage: HUBSPOT_STAGE[first.stage],
        closedate: new Date(d.closeDate).toISOString(),
        dealtype: 'newbusiness',
        hubspot_owner_id: ids.get(d.ownerKey) ?? null,
      },
      { createdAt: new Date(first.at) },
    );
    for (const step of d.history.slice(1)) {
      store.update('deals', r.id, { dealstage: HUBSPOT_STAGE[step.stage] }, { at: new Date(step.at) });
    }
    ids.set(d.key, r.id);
    store.associate('deals', r.id, 'companies', ids.get(d.accountKey) as string);
    for (const c of d.contactKeys) store.associate('deals', r.id, 'contacts', ids.get(c) as string);
  }
  const people = new Map(data.people.map((p) => [p.key, p]));
  const owners = new Map(data.owners.map((o) => [o.key, o]));
  for (const e of data.emails) {
    const p = people.get(e.personKey) as SeedPerson;
    const owner = owners.get(e.ownerKey) as SeedOwner;
    const [from, to] = e.direction === 'outbound' ? [owner.email, p.email] : [p.email, owner.email];
    const r = store.create(
      'emails',
      {
        hs_timestamp: new Date(e.sentAt).toISOString(),
        hs_email_subject: e.subject,
        hs_email_text: e.body,
        hs_email_direction: e.direction === 'outbound' ? 'EMAIL' : 'INCOMING_EMAIL',
        hs_email_status: 'SENT',
        hs_email_headers: JSON.stringify({ from: { email: from }, to: [{ email: to }], cc: [], bcc: [] }),
        hs_email_from_email: from,
        hs_email_to_email: to,
        hubspot_owner_id: ids.get(e.ownerKey) ?? null,
      },
      { createdAt: new Date(e.sentAt) },
    );
    ids.set(e.key, r.id);
    store.associate('emails', r.id, 'contacts', ids.get(p.key) as string);
    if (p.accountKey) store.associate('emails', r.id, 'companies', ids.get(p.accountKey) as string);
    if (e.dealKey) store.associate('emails', r.id, 'deals', ids.get(e.dealKey) as string);
  }
  return { ids };
}

/** Loads the data into a Salesforce emulator store (Users, Accounts, Contacts, Leads, Opportunities, contact roles, EmailMessages and Tasks). */
export function seedSalesforce(store: SalesforceStore, data: SeedData): SeededIds {
  const ids = new Map<string, string>();
  for (const o of data.owners) {
    ids.set(
      o.key,
      store.insert(
        'User',
        {
          Username: o.email,
          FirstName: o.firstName,
          LastName: o.lastName,
          Email: o.email,
          Alias: slug(o.lastName).slice(0, 8),
          IsActive: true,
        },
        { createdAt: data.options.now - data.options.historyDays * DAY },
      ).id,
    );
  }
  for (const a of data.accounts) {
    const r = store.insert(
      'Account',
      {
        Name: a.name,
        Website: `https://www.${a.domain}`,
        Industry: a.industry,
        NumberOfEmployees: a.employees,
        AnnualRevenue: a.annualRevenue,
        BillingCity: a.city,
        BillingCountry: a.country,
        Type: 'Prospect',
        OwnerId: ids.get(a.ownerKey) ?? null,
      },
      { createdAt: a.createdAt },
    );
    ids.set(a.key, r.id);
  }
  for (const p of data.people) {
    const owner = ids.get(p.ownerKey) ?? null;
    const r = p.accountKey
      ? store.insert(
          'Contact',
          {
            AccountId: ids.get(p.accountKey) as string,
            FirstName: p.firstName,
            LastName: p.lastName,
            Email: p.email,
            Title: p.title,
            Phone: p.phone,
            LeadSource: p.leadSource,
            OwnerId: owner,
          },
          { createdAt: p.createdAt },
        )
      : store.insert(
          'Lead',
          {
            FirstName: p.firstName,
            LastName: p.lastName,
            Company: p.company,
            Email: p.email,
            Title: p.title,
            Phone: p.phone,
            LeadSource: p.leadSource,
            Status: p.persona === 'cold' ? 'Open - Not Contacted' : 'Working - Contacted',
            OwnerId: owner,
          },
          { createdAt: p.createdAt },
        );
    ids.set(p.key, r.id);
  }
  for (const d of data.deals) {
    const first = d.history[0] as { stage: CommonStage; at: number };
    const r = store.insert(
      'Opportunity',
      {
        AccountId: ids.get(d.accountKey) as string,
        Name: d.name,
        StageName: SALESFORCE_STAGE[first.stage],
        Amount: d.amount,
        CloseDate: new Date(d.closeDate).toISOString().slice(0, 10),
        Type: 'New Customer',
        OwnerId: ids.get(d.ownerKey) ?? null,
      },
      { createdAt: first.at },
    );
    for (const step of d.history.slice(1)) {
      store.update('Opportunity', r.id, { StageName: SALESFORCE_STAGE[step.stage] }, { at: step.at });
    }
    ids.set(d.key, r.id);
    d.contactKeys.forEach((c, i) => {
      store.insert(
        'OpportunityContactRole',
        {
          OpportunityId: r.id,
          ContactId: ids.get(c) as string,
          Role: i === 0 ? 'Decision Maker' : 'Evaluator',
          IsPrimary: i === 0,
        },
        { createdAt: first.at },
      );
    });
  }
  const people = new Map(data.people.map((p) => [p.key, p]));
  const owners = new Map(data.owners.map((o) => [o.key, o]));
  for (const e of data.emails) {
    const p = people.get(e.personKey) as SeedPerson;
    const owner = owners.get(e.ownerKey) as SeedOwner;
    const whoId = ids.get(p.key) as string;
    const whatId = e.dealKey ? ids.get(e.dealKey) : p.accountKey ? ids.get(p.accountKey) : undefined;
    const task = store.insert(
      'Task',
      {
        Subject: `Email: ${e.subject}`,
        Status: 'Completed',
        Priority: 'Normal',
        Type: 'Email',
        TaskSubtype: 'Email',
        ActivityDate: new Date(e.sentAt).toISOString().slice(0, 10),
        Description: e.body,
        WhoId: whoId,
        WhatId: whatId ?? null,
        OwnerId: ids.get(e.ownerKey) ?? null,
      },
      { createdAt: e.sentAt },
    );
    const [from, to] = e.direction === 'outbound' ? [owner.email, p.email] : [p.email, owner.email];
    const msg = store.insert(
      'EmailMessage',
      {
        Subject: e.subject,
        TextBody: e.body,
        FromAddress: from,
        FromName:
          e.direction === 'outbound'
            ? `${owner.firstName} ${owner.lastName}`
            : `${p.firstName} ${p.lastName}`,
        ToAddress: to,
        MessageDate: sfDateTime(e.sentAt),
        Status: e.direction === 'outbound' ? '3' : '0',
        Incoming: e.direction === 'inbound',
        IsTracked: e.direction === 'outbound',
        FirstOpenedDate: e.openedAt ? sfDateTime(e.openedAt) : null,
        LastOpenedDate: e.openedAt ? sfDateTime(e.openedAt) : null,
        RelatedToId: whatId ?? null,
        ActivityId: task.id,
      },
      { createdAt: e.sentAt },
    );
    ids.set(e.key, msg.id);
  }
  return { ids };
}

// ------------------------------------------------------------------------------------ events

export interface BehaviourEvent {
  type: 'identify' | 'page' | 'track';
  messageId: string;
  timestamp: Date;
  anonymousId: string;
  userId?: string;
  /** track: event name. */
  event?: string;
  /** page: page name. */
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  /** The seed person this event belongs to. */
  personKey: string;
}

const PAGES: Record<
  string,
  { name: string; title: string; category: 'educational' | 'evaluation' | 'purchase' }
> = {
  '/': { name: 'Home', title: 'Cairn — customer journeys from real behaviour', category: 'educational' },
  '/blog/journey-mapping-101': { name: 'Blog', title: 'Journey mapping 101', category: 'educational' },
  '/blog/why-funnels-lie': { name: 'Blog', title: 'Why funnels lie', category: 'educational' },
  '/docs': { name: 'Docs', title: 'Documentation', category: 'educational' },
  '/docs/getting-started': { name: 'Docs', title: 'Getting started', category: 'educational' },
  '/docs/integrations/hubspot': { name: 'Docs', title: 'HubSpot integration', category: 'evaluation' },
  '/docs/integrations/salesforce': { name: 'Docs', title: 'Salesforce integration', category: 'evaluation' },
  '/case-studies': { name: 'Case Studies', title: 'Customer stories', category: 'evaluation' },
  '/case-studies/northwave': {
    name: 'Case Studies',
    title: 'How NorthWave cut churn 18%',
    category: 'evaluation',
  },
  '/security': { name: 'Security', title: 'Security & compliance', category: 'evaluation' },
  '/pricing': { name: 'Pricing', title: 'Pricing', category: 'purchase' },
  '/demo': { name: 'Demo', title: 'Book a demo', category: 'purchase' },
  '/signup': { name: 'Sign Up', title: 'Create your account', category: 'purchase' },
};
const EDUCATIONAL = Object.keys(PAGES).filter((p) => PAGES[p]?.category === 'educational');
const EVALUATION = Object.keys(PAGES).filter((p) => PAGES[p]?.category === 'evaluation');
const REFERRERS = [
  'https://www.google.com/',
  'https://www.linkedin.com/',
  'https://news.ycombinator.com/',
  '',
  'https://www.bing.com/',
];

/**
 * The behavioural events matching the seed data: anonymous browsing, then identification, then
 * persona-dependent depth (pricing, case studies, sign-up, trial) and email engagement matching the
 * seeded emails. Sorted by time.
 */
export function generateEvents(data: SeedData, options: { site?: string } = {}): BehaviourEvent[] {
  const site = options.site ?? 'https://www.cairn-demo.example';
  const rng = new Rng(`events:${data.options.seed}`);
  const now = data.options.now;
  const events: BehaviourEvent[] = [];
  const emailsByPerson = new Map<string, SeedEmail[]>();
  for (const e of data.emails)
    emailsByPerson.set(e.personKey, [...(emailsByPerson.get(e.personKey) ?? []), e]);

  for (const p of data.people) {
    const base = { anonymousId: p.anonymousId, personKey: p.key };
    let t = p.createdAt - rng.int(1, 10) * DAY;
    const at = (): Date => new Date(Math.min(t, now - 60_000));
    const page = (path: string, identified: boolean): void => {
      const info = PAGES[path] ?? { name: 'Page', title: path };
      events.push({
        ...base,
        ...(identified ? { userId: p.userId } : {}),
        type: 'page',
        messageId: rng.uuid(),
        timestamp: at(),
        name: info.name,
        properties: {
          path,
          url: `${site}${path}`,
          title: info.title,
          referrer: rng.pick(REFERRERS),
          search: '',
        },
      });
      t += rng.int(20, 240) * 1000;
    };
    const track = (event: string, properties: Record<string, unknown>): void => {
      events.push({
        ...base,
        userId: p.userId,
        type: 'track',
        messageId: rng.uuid(),
        timestamp: at(),
        event,
        properties,
      });
      t += rng.int(30, 600) * 1000;
    };
    const session = (paths: string[], identified: boolean): void => {
      for (const path of paths) page(path, identified);
      t += rng.int(6, 96) * HOUR;
    };

    // anonymous discovery
    const sessions = p.persona === 'cold' ? rng.int(0, 1) : rng.int(1, 3);
    for (let s = 0; s < sessions; s++)
      session([rng.pick(EDUCATIONAL), ...(rng.chance(0.5) ? [rng.pick(EDUCATIONAL)] : [])], false);
    if (t > now) continue;
    // identification (form fill / newsletter)
    events.push({
      ...base,
      userId: p.userId,
      type: 'identify',
      messageId: rng.uuid(),
      timestamp: at(),
      traits: {
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        title: p.title,
        company: { name: p.company },
        createdAt: new Date(p.createdAt).toISOString(),
      },
    });
    t = Math.max(t, p.createdAt) + rng.int(1, 12) * HOUR;

    const depth: Record<Persona, number> = {
      cold: 0,
      aware: 1,
      evaluating: 2,
      trialing: 3,
      customer: 4,
      'churn-risk': 4,
    };
    const d = depth[p.persona];
    if (d >= 1) session([rng.pick(EDUCATIONAL), '/docs/getting-started'], true);
    if (d >= 2) {
      session(['/pricing', rng.pick(EVALUATION)], true);
      session(['/case-studies', '/case-studies/northwave', ...(rng.chance(0.5) ? ['/pricing'] : [])], true);
    }
    if (d >= 3) {
      session(['/pricing', '/signup'], true);
      track('Signed Up', { type: 'organic', plan: 'trial', email: p.email });
      t += rng.int(1, 30) * 60_000;
      track('Trial Started', { plan: rng.pick(['growth', 'enterprise']), trial_days: 14, email: p.email });
      session(['/docs/integrations/hubspot', '/docs/integrations/salesforce'], true);
    }
    if (d >= 4) session(['/security', '/pricing'], true);
    if (p.persona === 'churn-risk') t = now - rng.int(20, 40) * DAY; // went quiet

    for (const e of emailsByPerson.get(p.key) ?? []) {
      if (e.openedAt !== undefined) {
        events.push({
          ...base,
          userId: p.userId,
          type: 'track',
          messageId: rng.uuid(),
          timestamp: new Date(e.openedAt),
          event: 'Email Opened',
          properties: { email_id: e.key, email_subject: e.subject, email_address: p.email },
        });
      }
      if (e.clickedAt !== undefined) {
        events.push({
          ...base,
          userId: p.userId,
          type: 'track',
          messageId: rng.uuid(),
          timestamp: new Date(e.clickedAt),
          event: 'Email Link Clicked',
          properties: { email_id: e.key, email_subject: e.subject, link_url: `${site}${e.link ?? '/'}` },
        });
        const clickT = e.clickedAt + 5_000;
        if (clickT < now) {
          const path = e.link ?? '/';
          events.push({
            ...base,
            userId: p.userId,
            type: 'page',
            messageId: rng.uuid(),
            timestamp: new Date(clickT),
            name: PAGES[path]?.name ?? 'Page',
            properties: {
              path,
              url: `${site}${path}?utm_medium=email`,
              title: PAGES[path]?.title ?? path,
              referrer: '',
              search: '?utm_medium=email',
            },
          });
        }
      }
    }
  }
  return events
    .filter((e) => e.timestamp.getTime() <= now)
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}

export interface SendEventsOptions {
  /** Base URL the Segment client posts to (Cairn's ingestion API). */
  host: string;
  writeKey: string;
  /** Defaults to `/v1/batch`. */
  path?: string;
  flushAt?: number;
  maxRetries?: number;
}

/** Sends events through the real Segment client and waits until every batch is flushed. */
export async function sendEvents(
  events: BehaviourEvent[],
  options: SendEventsOptions,
): Promise<{ sent: number; failed: number }> {
  const analytics = new Analytics({
    writeKey: options.writeKey,
    host: options.host,
    path: options.path ?? '/v1/batch',
    flushAt: options.flushAt ?? 100,
    flushInterval: 200,
    maxRetries: options.maxRetries ?? 3,
  });
  let failed = 0;
  analytics.on('error', () => {
    failed++;
  });
  for (const e of events) {
    const ids = e.userId ? { userId: e.userId, anonymousId: e.anonymousId } : { anonymousId: e.anonymousId };
    const common = { ...ids, messageId: e.messageId, timestamp: e.timestamp };
    if (e.type === 'identify') analytics.identify({ ...common, traits: e.traits ?? {} });
    else if (e.type === 'page')
      analytics.page({ ...common, name: e.name ?? 'Page', properties: e.properties ?? {} });
    else analytics.track({ ...common, event: e.event ?? 'Event', properties: e.properties ?? {} });
  }
  await analytics.closeAndFlush({ timeout: 30_000 });
  return { sent: events.length - failed, failed };
}
