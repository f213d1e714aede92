/**
 * The sObjects the Salesforce emulator knows and their fields, as `describe` reports them: the
 * standard fields Cairn reads (Contact, Lead, Account, Opportunity, OpportunityContactRole,
 * EmailMessage, Task, User) plus any custom fields created through the Tooling API.
 */

export type SfFieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime';

export interface SfPicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface SfField {
  name: string;
  label: string;
  type: SfFieldType;
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  calculated: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  nameField: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: SfPicklistValue[];
  defaultValue: string | number | boolean | null;
  /** Required on create (not nillable, not defaulted). */
  required: boolean;
}

export interface SfObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: Map<string, SfField>;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** `updated`/`deleted` replication endpoints are available. */
  replicateable: boolean;
  hasOwner: boolean;
}

type FieldSpec = Partial<Omit<SfField, 'name' | 'label' | 'type'>> & { required?: boolean };

function field(name: string, label: string, type: SfFieldType, spec: FieldSpec = {}): SfField {
  const textual = ['string', 'email', 'phone', 'url', 'textarea', 'picklist'].includes(type);
  const required = spec.required ?? false;
  return {
    name,
    label,
    type,
    length:
      spec.length ??
      (type === 'textarea' ? 32000 : textual ? 255 : type === 'id' || type === 'reference' ? 18 : 0),
    precision:
      spec.precision ?? (type === 'currency' ? 18 : type === 'double' || type === 'percent' ? 18 : 0),
    scale: spec.scale ?? (type === 'currency' || type === 'percent' ? 2 : 0),
    nillable: spec.nillable ?? (!required && type !== 'boolean' && type !== 'id'),
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    custom: spec.custom ?? false,
    calculated: spec.calculated ?? false,
    defaultedOnCreate: spec.defaultedOnCreate ?? type === 'boolean',
    externalId: spec.externalId ?? false,
    unique: spec.unique ?? false,
    nameField: spec.nameField ?? false,
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    picklistValues: spec.picklistValues ?? [],
    defaultValue: spec.defaultValue ?? (type === 'boolean' ? false : null),
    required,
  };
}

export function picklist(values: readonly string[], defaultValue?: string): SfPicklistValue[] {
  return values.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

const ro = { createable: false, updateable: false } as const;

function systemFields(hasOwner: boolean): SfField[] {
  return [
    field('Id', 'Record ID', 'id', { ...ro, nillable: false, defaultedOnCreate: true }),
    field('IsDeleted', 'Deleted', 'boolean', ro),
    ...(hasOwner
      ? [
          field('OwnerId', 'Owner ID', 'reference', {
            referenceTo: ['User'],
            relationshipName: 'Owner',
            defaultedOnCreate: true,
            nillable: false,
          }),
        ]
      : []),
    field('CreatedDate', 'Created Date', 'datetime', { ...ro, defaultedOnCreate: true, nillable: false }),
    field('CreatedById', 'Created By ID', 'reference', {
      ...ro,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
      defaultedOnCreate: true,
      nillable: false,
    }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', {
      ...ro,
      defaultedOnCreate: true,
      nillable: false,
    }),
    field('LastModifiedById', 'Last Modified By ID', 'reference', {
      ...ro,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
      defaultedOnCreate: true,
      nillable: false,
    }),
    field('SystemModstamp', 'System Modstamp', 'datetime', {
      ...ro,
      defaultedOnCreate: true,
      nillable: false,
    }),
  ];
}

export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const OPPORTUNITY_STAGES: Array<{ name: string; probability: number; closed: boolean; won: boolean }> =
  [
    { name: 'Prospecting', probability: 10, closed: false, won: false },
    { name: 'Qualification', probability: 10, closed: false, won: false },
    { name: 'Needs Analysis', probability: 20, closed: false, won: false },
    { name: 'Value Proposition', probability: 50, closed: false, won: false },
    { name: 'Id. Decision Makers', probability: 60, closed: false, won: false },
    { name: 'Perception Analysis', probability: 70, closed: false, won: false },
    { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
    { name: 'Negotiation/Review', probability: 90, closed: false, won: false },
    { name: 'Closed Won', probability: 100, closed: true, won: true },
    { name: 'Closed Lost', probability: 0, closed: true, won: false },
  ];
export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
];
export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];

interface ObjectSpec {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  hasOwner: boolean;
  fields: SfField[];
  createable?: boolean;
}

const SPECS: ObjectSpec[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    hasOwner: false,
    createable: false,
    fields: [
      field('Username', 'Username', 'string', { required: true, unique: true }),
      field('FirstName', 'First Name', 'string'),
      field('LastName', 'Last Name', 'string', { required: true }),
      field('Name', 'Full Name', 'string', { ...ro, nameField: true, calculated: true }),
      field('Email', 'Email', 'email', { required: true }),
      field('Alias', 'Alias', 'string', { length: 8 }),
      field('IsActive', 'Active', 'boolean', { defaultValue: true }),
      field('Title', 'Title', 'string'),
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    hasOwner: true,
    fields: [
      field('Name', 'Account Name', 'string', { required: true, nameField: true }),
      field('Website', 'Website', 'url'),
      field('Industry', 'Industry', 'picklist', {
        picklistValues: picklist([
          'Technology',
          'Finance',
          'Healthcare',
          'Retail',
          'Manufacturing',
          'Education',
          'Media',
          'Consulting',
          'Other',
        ]),
      }),
      field('Type', 'Account Type', 'picklist', {
        picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      }),
      field('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
      field('AnnualRevenue', 'Annual Revenue', 'currency'),
      field('Phone', 'Account Phone', 'phone'),
      field('BillingCity', 'Billing City', 'string'),
      field('BillingCountry', 'Billing Country', 'string'),
      field('Description', 'Account Description', 'textarea'),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    hasOwner: true,
    fields: [
      field('AccountId', 'Account ID', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
      }),
      field('FirstName', 'First Name', 'string', { length: 40 }),
      field('LastName', 'Last Name', 'string', { required: true, length: 80 }),
      field('Name', 'Full Name', 'string', { ...ro, nameField: true, calculated: true, length: 121 }),
      field('Email', 'Email', 'email'),
      field('Phone', 'Business Phone', 'phone'),
      field('Title', 'Title', 'string', { length: 128 }),
      field('Department', 'Department', 'string', { length: 80 }),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('MailingCity', 'Mailing City', 'string', { length: 40 }),
      field('MailingCountry', 'Mailing Country', 'string', { length: 80 }),
      field('HasOptedOutOfEmail', 'Email Opt Out', 'boolean'),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    hasOwner: true,
    fields: [
      field('FirstName', 'First Name', 'string', { length: 40 }),
      field('LastName', 'Last Name', 'string', { required: true, length: 80 }),
      field('Name', 'Full Name', 'string', { ...ro, nameField: true, calculated: true, length: 121 }),
      field('Company', 'Company', 'string', { required: true }),
      field('Email', 'Email', 'email'),
      field('Phone', 'Phone', 'phone'),
      field('Title', 'Title', 'string', { length: 128 }),
      field('Website', 'Website', 'url'),
      field('Industry', 'Industry', 'picklist'),
      field('City', 'City', 'string', { length: 40 }),
      field('Country', 'Country', 'string', { length: 80 }),
      field('Status', 'Status', 'picklist', {
        picklistValues: picklist(LEAD_STATUSES, 'Open - Not Contacted'),
        defaultedOnCreate: true,
        defaultValue: 'Open - Not Contacted',
        nillable: false,
      }),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('IsConverted', 'Converted', 'boolean', { updateable: false }),
      field('ConvertedDate', 'Converted Date', 'date', ro),
      field('ConvertedAccountId', 'Converted Account ID', 'reference', {
        ...ro,
        referenceTo: ['Account'],
        relationshipName: 'ConvertedAccount',
      }),
      field('ConvertedContactId', 'Converted Contact ID', 'reference', {
        ...ro,
        referenceTo: ['Contact'],
        relationshipName: 'ConvertedContact',
      }),
      field('ConvertedOpportunityId', 'Converted Opportunity ID', 'reference', {
        ...ro,
        referenceTo: ['Opportunity'],
        relationshipName: 'ConvertedOpportunity',
      }),
      field('HasOptedOutOfEmail', 'Email Opt Out', 'boolean'),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    hasOwner: true,
    fields: [
      field('AccountId', 'Account ID', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
      }),
      field('Name', 'Name', 'string', { required: true, nameField: true, length: 120 }),
      field('StageName', 'Stage', 'picklist', {
        required: true,
        picklistValues: picklist(OPPORTUNITY_STAGES.map((s) => s.name)),
      }),
      field('Amount', 'Amount', 'currency'),
      field('Probability', 'Probability (%)', 'percent', { defaultedOnCreate: true, precision: 3, scale: 0 }),
      field('CloseDate', 'Close Date', 'date', { required: true }),
      field('Type', 'Opportunity Type', 'picklist', {
        picklistValues: picklist([
          'New Customer',
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
        ]),
      }),
      field('LeadSource', 'Lead Source', 'picklist', { picklistValues: picklist(LEAD_SOURCES) }),
      field('IsClosed', 'Closed', 'boolean', { ...ro, calculated: false }),
      field('IsWon', 'Won', 'boolean', { ...ro, calculated: false }),
      field('ForecastCategoryName', 'Forecast Category', 'picklist', {
        defaultedOnCreate: true,
        picklistValues: picklist(['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
      }),
      field('Description', 'Description', 'textarea'),
    ],
  },
  {
    name: 'OpportunityContactRole',
    label: 'Opportunity Contact Role',
    labelPlural: 'Opportunity Contact Role',
    keyPrefix: '00K',
    hasOwner: false,
    fields: [
      field('OpportunityId', 'Opportunity ID', 'reference', {
        required: true,
        referenceTo: ['Opportunity'],
        relationshipName: 'Opportunity',
        updateable: false,
      }),
      field('ContactId', 'Contact ID', 'reference', {
        required: true,
        referenceTo: ['Contact'],
        relationshipName: 'Contact',
      }),
      field('Role', 'Role', 'picklist', {
        picklistValues: picklist([
          'Business User',
          'Decision Maker',
          'Economic Buyer',
          'Economic Decision Maker',
          'Evaluator',
          'Executive Sponsor',
          'Influencer',
          'Technical Buyer',
          'Other',
        ]),
      }),
      field('IsPrimary', 'Primary', 'boolean'),
    ],
  },
  {
    name: 'EmailMessage',
    label: 'Email Message',
    labelPlural: 'Email Messages',
    keyPrefix: '02s',
    hasOwner: false,
    fields: [
      field('Subject', 'Subject', 'string', { length: 3000 }),
      field('TextBody', 'Text Body', 'textarea', { length: 131072 }),
      field('HtmlBody', 'HTML Body', 'textarea', { length: 131072 }),
      field('FromAddress', 'From Address', 'email'),
      field('FromName', 'From Name', 'string', { length: 1000 }),
      field('ToAddress', 'To Address', 'string', { length: 4000 }),
      field('CcAddress', 'CC Address', 'string', { length: 4000 }),
      field('MessageDate', 'Message Date', 'datetime'),
      field('Status', 'Status', 'picklist', {
        required: true,
        picklistValues: [
          ['0', 'New'],
          ['1', 'Read'],
          ['2', 'Replied'],
          ['3', 'Sent'],
          ['4', 'Forwarded'],
          ['5', 'Draft'],
        ].map(([value, label]) => ({
          value: value as string,
          label: label as string,
          active: true,
          defaultValue: false,
        })),
      }),
      field('Incoming', 'Is Incoming', 'boolean'),
      field('IsTracked', 'Is Tracked', 'boolean'),
      field('IsBounced', 'Is Bounced', 'boolean'),
      field('FirstOpenedDate', 'First Opened', 'datetime'),
      field('LastOpenedDate', 'Last Opened', 'datetime'),
      field('RelatedToId', 'Related To ID', 'reference', {
        referenceTo: ['Account', 'Opportunity', 'Contact', 'Lead'],
        relationshipName: 'RelatedTo',
      }),
      field('ActivityId', 'Activity ID', 'reference', {
        referenceTo: ['Task'],
        relationshipName: 'Activity',
      }),
    ],
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    hasOwner: true,
    fields: [
      field('WhoId', 'Name ID', 'reference', { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who' }),
      field('WhatId', 'Related To ID', 'reference', {
        referenceTo: ['Account', 'Opportunity'],
        relationshipName: 'What',
      }),
      field('Subject', 'Subject', 'string', { length: 255 }),
      field('ActivityDate', 'Due Date Only', 'date'),
      field('Status', 'Status', 'picklist', {
        picklistValues: picklist(TASK_STATUSES, 'Not Started'),
        defaultedOnCreate: true,
        defaultValue: 'Not Started',
        nillable: false,
      }),
      field('Priority', 'Priority', 'picklist', {
        picklistValues: picklist(['High', 'Normal', 'Low'], 'Normal'),
        defaultedOnCreate: true,
        defaultValue: 'Normal',
        nillable: false,
      }),
      field('Type', 'Type', 'picklist', { picklistValues: picklist(['Call', 'Email', 'Meeting', 'Other']) }),
      field('TaskSubtype', 'Task Subtype', 'picklist', {
        updateable: false,
        picklistValues: picklist(['Task', 'Email', 'ListEmail', 'Cadence', 'Call']),
      }),
      field('Description', 'Description', 'textarea'),
      field('IsClosed', 'Closed', 'boolean', { ...ro }),
      field('CompletedDateTime', 'Completed Date/Time', 'datetime', ro),
    ],
  },
];

/** Fresh definitions for one emulator instance (custom fields are added per instance). */
export function standardObjects(): Map<string, SfObjectDef> {
  const out = new Map<string, SfObjectDef>();
  for (const spec of SPECS) {
    const fields = new Map<string, SfField>();
    for (const f of [...systemFields(spec.hasOwner), ...spec.fields]) fields.set(f.name, { ...f });
    out.set(spec.name, {
      name: spec.name,
      label: spec.label,
      labelPlural: spec.labelPlural,
      keyPrefix: spec.keyPrefix,
      fields,
      createable: spec.createable ?? true,
      updateable: spec.createable ?? true,
      deletable: spec.createable ?? true,
      replicateable: true,
      hasOwner: spec.hasOwner,
    });
  }
  return out;
}

/** Tooling API `Metadata.type` → describe type. */
export const CUSTOM_FIELD_TYPES: Record<string, SfFieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Number: 'double',
  Percent: 'percent',
  Currency: 'currency',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Picklist: 'picklist',
  Email: 'email',
  Url: 'url',
  Phone: 'phone',
};

export function customField(name: string, label: string, type: SfFieldType, spec: FieldSpec = {}): SfField {
  return field(name, label, type, { ...spec, custom: true });
}

const SOAP_TYPES: Record<SfFieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

/** A field as `describe` returns it. */
export function describeField(f: SfField): Record<string, unknown> {
  const textual = ['string', 'email', 'phone', 'url', 'textarea', 'picklist', 'id', 'reference'].includes(
    f.type,
  );
  return {
    aggregatable: f.type !== 'textarea',
    autoNumber: false,
    byteLength: textual ? f.length * 3 : 0,
    calculated: f.calculated,
    caseSensitive: false,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.defaultValue,
    defaultedOnCreate: f.defaultedOnCreate,
    digits: f.type === 'int' ? f.precision : 0,
    externalId: f.externalId,
    filterable: f.type !== 'textarea',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(f.type),
    idLookup: f.type === 'id' || f.name === 'Email' || f.externalId,
    label: f.label,
    length: textual ? f.length : 0,
    name: f.name,
    nameField: f.nameField,
    nillable: f.nillable,
    picklistValues: f.picklistValues,
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: ['double', 'currency', 'percent'].includes(f.type) ? f.precision : 0,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedPicklist: false,
    scale: ['double', 'currency', 'percent'].includes(f.type) ? f.scale : 0,
    soapType: SOAP_TYPES[f.type],
    sortable: f.type !== 'textarea',
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
  };
}
