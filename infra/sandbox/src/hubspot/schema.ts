/**
 * The HubSpot CRM shapes the emulator knows: object types and their aliases, the built-in property
 * definitions and groups Cairn touches, default association type ids, the default deal pipeline and
 * which OAuth scopes each area needs.
 */

export type HsObjectType = 'contacts' | 'companies' | 'deals' | 'emails' | 'tasks';
export const OBJECT_TYPES: readonly HsObjectType[] = ['contacts', 'companies', 'deals', 'emails', 'tasks'];

/** `contacts`, `contact`, `0-1` → `contacts`, etc. */
const ALIASES: Record<string, HsObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  emails: 'emails',
  email: 'emails',
  '0-49': 'emails',
  tasks: 'tasks',
  task: 'tasks',
  '0-27': 'tasks',
};

export function resolveObjectType(raw: string): HsObjectType | undefined {
  return ALIASES[raw.toLowerCase()];
}

export const OBJECT_TYPE_ID: Record<HsObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  emails: '0-49',
  tasks: '0-27',
};

/** The upper-case singular HubSpot uses in some messages. */
export const OBJECT_LABEL: Record<HsObjectType, string> = {
  contacts: 'CONTACT',
  companies: 'COMPANY',
  deals: 'DEAL',
  emails: 'EMAIL',
  tasks: 'TASK',
};

export type HsPropertyType =
  'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
export const PROPERTY_TYPES: readonly HsPropertyType[] = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
  'phone_number',
];
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
  'file',
  'html',
  'phonenumber',
] as const;

export interface HsOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface HsPropertyDef {
  name: string;
  label: string;
  type: HsPropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: HsOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  /** Clients may not write the value (hs_object_id, createdate…). */
  readOnlyValue: boolean;
  readOnlyDefinition: boolean;
  archivable: boolean;
  referencedObjectType?: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface HsGroupDef {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const EPOCH = '2019-08-06T02:41:52.261Z';

function opts(values: ReadonlyArray<string | [string, string]>): HsOption[] {
  return values.map((v, i) => {
    const [value, label] = Array.isArray(v) ? v : [v, v];
    return { label, value, displayOrder: i, hidden: false };
  });
}

interface Builtin {
  name: string;
  label: string;
  type: HsPropertyType;
  fieldType: string;
  group: string;
  options?: HsOption[];
  readOnly?: boolean;
  calculated?: boolean;
  unique?: boolean;
  externalOptions?: boolean;
  referencedObjectType?: string;
}

function builtin(b: Builtin, displayOrder: number): HsPropertyDef {
  return {
    name: b.name,
    label: b.label,
    type: b.type,
    fieldType: b.fieldType,
    groupName: b.group,
    description: '',
    options: b.options ?? [],
    displayOrder,
    calculated: b.calculated ?? false,
    externalOptions: b.externalOptions ?? false,
    hasUniqueValue: b.unique ?? false,
    hidden: false,
    hubspotDefined: true,
    formField: !b.readOnly,
    readOnlyValue: b.readOnly ?? false,
    readOnlyDefinition: true,
    archivable: false,
    ...(b.referencedObjectType ? { referencedObjectType: b.referencedObjectType } : {}),
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
  };
}

export const LIFECYCLE_STAGES = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
] as const satisfies ReadonlyArray<[string, string]>;

export interface HsPipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: { isClosed: 'true' | 'false'; probability: string };
}

/** The default sales pipeline every HubSpot portal starts with. */
export const DEFAULT_DEAL_STAGES: HsPipelineStage[] = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
  ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
  ['contractsent', 'Contract Sent', '0.9', false],
  ['closedwon', 'Closed Won', '1.0', true],
  ['closedlost', 'Closed Lost', '0.0', true],
].map(([id, label, probability, closed], i) => ({
  id: id as string,
  label: label as string,
  displayOrder: i,
  metadata: { isClosed: closed ? 'true' : 'false', probability: probability as string },
}));

const COMMON_OWNER: Builtin = {
  name: 'hubspot_owner_id',
  label: 'Owner',
  type: 'enumeration',
  fieldType: 'select',
  group: '',
  externalOptions: true,
  referencedObjectType: 'OWNER',
};

const BUILTINS: Record<HsObjectType, { groups: Array<[string, string]>; props: Builtin[] }> = {
  contacts: {
    groups: [
      ['contactinformation', 'Contact information'],
      ['analyticsinformation', 'Web analytics history'],
      ['sales_properties', 'Sales properties'],
    ],
    props: [
      {
        name: 'email',
        label: 'Email',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
        unique: true,
      },
      {
        name: 'firstname',
        label: 'First Name',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      {
        name: 'lastname',
        label: 'Last Name',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      {
        name: 'phone',
        label: 'Phone Number',
        type: 'string',
        fieldType: 'phonenumber',
        group: 'contactinformation',
      },
      {
        name: 'company',
        label: 'Company Name',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      {
        name: 'jobtitle',
        label: 'Job Title',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      {
        name: 'website',
        label: 'Website URL',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      { name: 'city', label: 'City', type: 'string', fieldType: 'text', group: 'contactinformation' },
      {
        name: 'country',
        label: 'Country/Region',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
      },
      {
        name: 'lifecyclestage',
        label: 'Lifecycle Stage',
        type: 'enumeration',
        fieldType: 'radio',
        group: 'contactinformation',
        options: opts(LIFECYCLE_STAGES),
      },
      {
        name: 'hs_lead_status',
        label: 'Lead Status',
        type: 'enumeration',
        fieldType: 'radio',
        group: 'sales_properties',
        options: opts([
          ['NEW', 'New'],
          ['OPEN', 'Open'],
          ['IN_PROGRESS', 'In Progress'],
          ['OPEN_DEAL', 'Open Deal'],
          ['UNQUALIFIED', 'Unqualified'],
          ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
          ['CONNECTED', 'Connected'],
          ['BAD_TIMING', 'Bad Timing'],
        ]),
      },
      {
        name: 'hs_analytics_source',
        label: 'Original Source',
        type: 'enumeration',
        fieldType: 'select',
        group: 'analyticsinformation',
        readOnly: true,
        options: opts([
          ['ORGANIC_SEARCH', 'Organic Search'],
          ['PAID_SEARCH', 'Paid Search'],
          ['EMAIL_MARKETING', 'Email Marketing'],
          ['SOCIAL_MEDIA', 'Organic Social'],
          ['REFERRALS', 'Referrals'],
          ['OTHER_CAMPAIGNS', 'Other Campaigns'],
          ['DIRECT_TRAFFIC', 'Direct Traffic'],
          ['OFFLINE', 'Offline Sources'],
          ['PAID_SOCIAL', 'Paid Social'],
        ]),
      },
      {
        name: 'associatedcompanyid',
        label: 'Primary Associated Company ID',
        type: 'number',
        fieldType: 'number',
        group: 'contactinformation',
      },
      {
        name: 'hs_email_domain',
        label: 'Email Domain',
        type: 'string',
        fieldType: 'text',
        group: 'contactinformation',
        readOnly: true,
        calculated: true,
      },
      { ...COMMON_OWNER, group: 'sales_properties' },
      {
        name: 'createdate',
        label: 'Create Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'contactinformation',
        readOnly: true,
      },
      {
        name: 'lastmodifieddate',
        label: 'Last Modified Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'contactinformation',
        readOnly: true,
      },
      {
        name: 'hs_lastmodifieddate',
        label: 'Object last modified date/time',
        type: 'datetime',
        fieldType: 'date',
        group: 'contactinformation',
        readOnly: true,
      },
      {
        name: 'hs_object_id',
        label: 'Record ID',
        type: 'number',
        fieldType: 'number',
        group: 'contactinformation',
        readOnly: true,
      },
    ],
  },
  companies: {
    groups: [
      ['companyinformation', 'Company information'],
      ['sales_properties', 'Sales properties'],
    ],
    props: [
      { name: 'name', label: 'Company name', type: 'string', fieldType: 'text', group: 'companyinformation' },
      {
        name: 'domain',
        label: 'Company Domain Name',
        type: 'string',
        fieldType: 'text',
        group: 'companyinformation',
      },
      {
        name: 'website',
        label: 'Website URL',
        type: 'string',
        fieldType: 'text',
        group: 'companyinformation',
      },
      { name: 'industry', label: 'Industry', type: 'string', fieldType: 'text', group: 'companyinformation' },
      {
        name: 'numberofemployees',
        label: 'Number of Employees',
        type: 'number',
        fieldType: 'number',
        group: 'companyinformation',
      },
      {
        name: 'annualrevenue',
        label: 'Annual Revenue',
        type: 'number',
        fieldType: 'number',
        group: 'companyinformation',
      },
      { name: 'city', label: 'City', type: 'string', fieldType: 'text', group: 'companyinformation' },
      {
        name: 'country',
        label: 'Country/Region',
        type: 'string',
        fieldType: 'text',
        group: 'companyinformation',
      },
      {
        name: 'lifecyclestage',
        label: 'Lifecycle Stage',
        type: 'enumeration',
        fieldType: 'radio',
        group: 'companyinformation',
        options: opts(LIFECYCLE_STAGES),
      },
      { ...COMMON_OWNER, group: 'sales_properties' },
      {
        name: 'createdate',
        label: 'Create Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'companyinformation',
        readOnly: true,
      },
      {
        name: 'hs_lastmodifieddate',
        label: 'Last Modified Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'companyinformation',
        readOnly: true,
      },
      {
        name: 'hs_object_id',
        label: 'Record ID',
        type: 'number',
        fieldType: 'number',
        group: 'companyinformation',
        readOnly: true,
      },
    ],
  },
  deals: {
    groups: [['dealinformation', 'Deal information']],
    props: [
      { name: 'dealname', label: 'Deal Name', type: 'string', fieldType: 'text', group: 'dealinformation' },
      { name: 'amount', label: 'Amount', type: 'number', fieldType: 'number', group: 'dealinformation' },
      {
        name: 'dealstage',
        label: 'Deal Stage',
        type: 'enumeration',
        fieldType: 'radio',
        group: 'dealinformation',
        options: DEFAULT_DEAL_STAGES.map((s) => ({
          label: s.label,
          value: s.id,
          displayOrder: s.displayOrder,
          hidden: false,
        })),
      },
      {
        name: 'pipeline',
        label: 'Pipeline',
        type: 'enumeration',
        fieldType: 'select',
        group: 'dealinformation',
        options: opts([['default', 'Sales Pipeline']]),
      },
      {
        name: 'closedate',
        label: 'Close Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'dealinformation',
      },
      {
        name: 'dealtype',
        label: 'Deal Type',
        type: 'enumeration',
        fieldType: 'radio',
        group: 'dealinformation',
        options: opts([
          ['newbusiness', 'New Business'],
          ['existingbusiness', 'Existing Business'],
        ]),
      },
      { ...COMMON_OWNER, group: 'dealinformation' },
      {
        name: 'hs_is_closed',
        label: 'Is Deal Closed?',
        type: 'bool',
        fieldType: 'booleancheckbox',
        group: 'dealinformation',
        readOnly: true,
        calculated: true,
        options: opts([
          ['true', 'True'],
          ['false', 'False'],
        ]),
      },
      {
        name: 'hs_is_closed_won',
        label: 'Is Closed Won',
        type: 'bool',
        fieldType: 'booleancheckbox',
        group: 'dealinformation',
        readOnly: true,
        calculated: true,
        options: opts([
          ['true', 'True'],
          ['false', 'False'],
        ]),
      },
      {
        name: 'hs_deal_stage_probability',
        label: 'Deal probability',
        type: 'number',
        fieldType: 'number',
        group: 'dealinformation',
        readOnly: true,
        calculated: true,
      },
      ...DEFAULT_DEAL_STAGES.map((s): Builtin => ({
        name: `hs_date_entered_${s.id}`,
        label: `Date entered "${s.label} (Sales Pipeline)"`,
        type: 'datetime',
        fieldType: 'date',
        group: 'dealinformation',
        readOnly: true,
        calculated: true,
      })),
      {
        name: 'createdate',
        label: 'Create Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'dealinformation',
        readOnly: true,
      },
      {
        name: 'hs_lastmodifieddate',
        label: 'Last Modified Date',
        type: 'datetime',
        fieldType: 'date',
        group: 'dealinformation',
        readOnly: true,
      },
      {
        name: 'hs_object_id',
        label: 'Record ID',
        type: 'number',
        fieldType: 'number',
        group: 'dealinformation',
        readOnly: true,
      },
    ],
  },
  emails: {
    groups: [['emailinformation', 'Email information']],
    props: [
      {
        name: 'hs_timestamp',
        label: 'Activity date',
        type: 'datetime',
        fieldType: 'date',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_subject',
        label: 'Email subject',
        type: 'string',
        fieldType: 'text',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_text',
        label: 'Email body',
        type: 'string',
        fieldType: 'textarea',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_html',
        label: 'Email HTML body',
        type: 'string',
        fieldType: 'html',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_direction',
        label: 'Email direction',
        type: 'enumeration',
        fieldType: 'select',
        group: 'emailinformation',
        options: opts([
          ['EMAIL', 'Sent by owner'],
          ['INCOMING_EMAIL', 'Reply'],
          ['FORWARDED_EMAIL', 'Forwarded'],
        ]),
      },
      {
        name: 'hs_email_status',
        label: 'Email send status',
        type: 'enumeration',
        fieldType: 'select',
        group: 'emailinformation',
        options: opts(['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']),
      },
      {
        name: 'hs_email_headers',
        label: 'Email headers',
        type: 'string',
        fieldType: 'textarea',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_from_email',
        label: 'From email',
        type: 'string',
        fieldType: 'text',
        group: 'emailinformation',
      },
      {
        name: 'hs_email_to_email',
        label: 'To email',
        type: 'string',
        fieldType: 'text',
        group: 'emailinformation',
      },
      { ...COMMON_OWNER, label: 'Activity assigned to', group: 'emailinformation' },
      {
        name: 'hs_createdate',
        label: 'Created at',
        type: 'datetime',
        fieldType: 'date',
        group: 'emailinformation',
        readOnly: true,
      },
      {
        name: 'hs_lastmodifieddate',
        label: 'Last modified date',
        type: 'datetime',
        fieldType: 'date',
        group: 'emailinformation',
        readOnly: true,
      },
      {
        name: 'hs_object_id',
        label: 'Record ID',
        type: 'number',
        fieldType: 'number',
        group: 'emailinformation',
        readOnly: true,
      },
    ],
  },
  tasks: {
    groups: [['task', 'Task information']],
    props: [
      {
        name: 'hs_timestamp',
        label: 'Due date',
        type: 'datetime',
        fieldType: 'date',
        group: 'task',
      },
      {
        name: 'hs_task_subject',
        label: 'Task title',
        type: 'string',
        fieldType: 'text',
        group: 'task',
      },
      {
        name: 'hs_task_body',
        label: 'Task notes',
        type: 'string',
        fieldType: 'html',
        group: 'task',
      },
      {
        name: 'hs_task_status',
        label: 'Task status',
        type: 'enumeration',
        fieldType: 'select',
        group: 'task',
        options: opts([
          ['NOT_STARTED', 'Not started'],
          ['IN_PROGRESS', 'In progress'],
          ['WAITING', 'Waiting'],
          ['COMPLETED', 'Completed'],
          ['DEFERRED', 'Deferred'],
        ]),
      },
      {
        name: 'hs_task_priority',
        label: 'Priority',
        type: 'enumeration',
        fieldType: 'select',
        group: 'task',
        options: opts([
          ['NONE', 'None'],
          ['LOW', 'Low'],
          ['MEDIUM', 'Medium'],
          ['HIGH', 'High'],
        ]),
      },
      {
        name: 'hs_task_type',
        label: 'Task type',
        type: 'enumeration',
        fieldType: 'select',
        group: 'task',
        options: opts([
          ['CALL', 'Call'],
          ['EMAIL', 'Email'],
          ['TODO', 'To-do'],
        ]),
      },
      { ...COMMON_OWNER, label: 'Assigned to', group: 'task' },
      {
        name: 'hs_createdate',
        label: 'Created at',
        type: 'datetime',
        fieldType: 'date',
        group: 'task',
        readOnly: true,
      },
      {
        name: 'hs_lastmodifieddate',
        label: 'Last modified date',
        type: 'datetime',
        fieldType: 'date',
        group: 'task',
        readOnly: true,
      },
      {
        name: 'hs_object_id',
        label: 'Record ID',
        type: 'number',
        fieldType: 'number',
        group: 'task',
        readOnly: true,
      },
    ],
  },
};

export function builtinProperties(type: HsObjectType): HsPropertyDef[] {
  return BUILTINS[type].props.map((b, i) => builtin(b, i));
}

export function builtinGroups(type: HsObjectType): HsGroupDef[] {
  return BUILTINS[type].groups.map(([name, label], i) => ({ name, label, displayOrder: i, archived: false }));
}

/** Properties returned when a read does not name any. */
export const DEFAULT_PROPERTIES: Record<HsObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Properties always returned alongside the ones a read names. */
export const ALWAYS_PROPERTIES: Record<HsObjectType, string[]> = {
  contacts: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  deals: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

export const CREATED_PROPERTY: Record<HsObjectType, string> = {
  contacts: 'createdate',
  companies: 'createdate',
  deals: 'createdate',
  emails: 'hs_createdate',
  tasks: 'hs_createdate',
};

/** Properties the `query` (free-text) search looks in. */
export const QUERY_PROPERTIES: Record<HsObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
  emails: ['hs_email_subject', 'hs_email_text'],
  tasks: ['hs_task_subject', 'hs_task_body'],
};

/** HUBSPOT_DEFINED association type ids (unlabelled default, and primary where one exists). */
export const ASSOCIATION_TYPES: Record<string, { default: number; primary?: number }> = {
  'contacts->companies': { default: 279, primary: 1 },
  'companies->contacts': { default: 280, primary: 2 },
  'deals->contacts': { default: 3 },
  'contacts->deals': { default: 4 },
  'deals->companies': { default: 341, primary: 5 },
  'companies->deals': { default: 342, primary: 6 },
  'companies->emails': { default: 185 },
  'emails->companies': { default: 186 },
  'contacts->emails': { default: 197 },
  'emails->contacts': { default: 198 },
  'deals->emails': { default: 209 },
  'emails->deals': { default: 210 },
  'companies->tasks': { default: 191 },
  'tasks->companies': { default: 192 },
  'contacts->tasks': { default: 203 },
  'tasks->contacts': { default: 204 },
  'deals->tasks': { default: 215 },
  'tasks->deals': { default: 216 },
};

export function associationTypeIds(
  from: HsObjectType,
  to: HsObjectType,
): { default: number; primary?: number } | undefined {
  return ASSOCIATION_TYPES[`${from}->${to}`];
}

/** Labels the emulator reports for primary associations. */
export const PRIMARY_LABEL = 'Primary';

/**
 * Scopes that allow an area; a token needs any one of them. (`emails` reads are granted by either the
 * sales-email-read scope or contact read, a simplification of HubSpot's engagement scopes.)
 */
export const SCOPES = {
  read: {
    contacts: ['crm.objects.contacts.read'],
    companies: ['crm.objects.companies.read'],
    deals: ['crm.objects.deals.read'],
    emails: ['sales-email-read', 'crm.objects.contacts.read'],
    tasks: ['crm.objects.contacts.read'],
  },
  write: {
    contacts: ['crm.objects.contacts.write'],
    companies: ['crm.objects.companies.write'],
    deals: ['crm.objects.deals.write'],
    emails: ['crm.objects.contacts.write'],
    tasks: ['crm.objects.contacts.write'],
  },
  schemaRead: {
    contacts: ['crm.schemas.contacts.read'],
    companies: ['crm.schemas.companies.read'],
    deals: ['crm.schemas.deals.read'],
    emails: ['crm.schemas.contacts.read'],
    tasks: ['crm.schemas.contacts.read'],
  },
  schemaWrite: {
    contacts: ['crm.schemas.contacts.write'],
    companies: ['crm.schemas.companies.write'],
    deals: ['crm.schemas.deals.write'],
    emails: ['crm.schemas.contacts.write'],
    tasks: ['crm.schemas.contacts.write'],
  },
  owners: ['crm.objects.owners.read'],
} satisfies Record<string, unknown>;

/** Every scope the default sandbox app may request. */
export const ALL_SCOPES: string[] = [
  'oauth',
  ...new Set(
    [
      ...Object.values(SCOPES.read),
      ...Object.values(SCOPES.write),
      ...Object.values(SCOPES.schemaRead),
      ...Object.values(SCOPES.schemaWrite),
      SCOPES.owners,
    ].flat(),
  ),
];
