/** The SOQL subset: what it accepts, how it evaluates, and what it rejects (with which errorCode). */
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../src/core/random';
import { SoqlError, compileSoql, executeSoql, parseSoql } from '../src/salesforce/soql';
import { SalesforceStore } from '../src/salesforce/store';

const NOW = Date.parse('2025-03-10T12:00:00Z');
let store: SalesforceStore;

beforeAll(() => {
  store = new SalesforceStore({ rng: new Rng('soql'), now: () => NOW });
  const acme = store.insert('Account', { Name: 'Acme', Industry: 'Technology' });
  const globex = store.insert('Account', { Name: 'Globex', Industry: 'Finance' });
  store.insert(
    'Contact',
    { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@acme.example', AccountId: acme.id },
    { createdAt: '2025-03-09T08:00:00Z' },
  );
  store.insert(
    'Contact',
    { FirstName: 'Alan', LastName: 'Turing', Email: 'alan@globex.example', AccountId: globex.id },
    { createdAt: '2025-01-15T08:00:00Z' },
  );
  store.insert('Contact', { LastName: "O'Brien", Email: null }, { createdAt: '2024-12-01T08:00:00Z' });
  const opp = store.insert('Opportunity', {
    Name: 'Acme pilot',
    StageName: 'Closed Won',
    CloseDate: '2025-02-01',
    Amount: 12000,
    AccountId: acme.id,
  });
  store.insert('Opportunity', {
    Name: 'Globex',
    StageName: 'Prospecting',
    CloseDate: '2025-04-01',
    Amount: 5000,
    AccountId: globex.id,
  });
  const ada = store.all('Contact')[0];
  store.insert('OpportunityContactRole', {
    OpportunityId: opp.id,
    ContactId: ada?.id ?? null,
    IsPrimary: true,
    Role: 'Decision Maker',
  });
  store.insert('Task', {
    Subject: 'Email: hello',
    Status: 'Completed',
    TaskSubtype: 'Email',
    WhoId: ada?.id ?? null,
    WhatId: opp.id,
  });
});

function run(soql: string, includeDeleted = false): Array<Record<string, unknown>> {
  return executeSoql(compileSoql(parseSoql(soql), store), store, {
    includeDeleted,
    urlPrefix: '/services/data/v50.0',
  }).records;
}

function error(soql: string): SoqlError {
  try {
    compileSoql(parseSoql(soql), store);
  } catch (err) {
    if (err instanceof SoqlError) return err;
    throw err;
  }
  throw new Error(`expected ${soql} to be rejected`);
}

describe('accepted SOQL', () => {
  it('selects canonical field names case-insensitively, with attributes', () => {
    const rows = run("select id, EMAIL, lastname from contact where email = 'ADA@acme.example'");
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {})).toEqual(['attributes', 'Id', 'Email', 'LastName']);
  });

  it('follows parent relationships, including polymorphic and two-level ones', () => {
    expect(
      run("SELECT Name, Account.Name, Account.Industry FROM Contact WHERE Account.Industry = 'Finance'"),
    ).toEqual([
      expect.objectContaining({
        Name: 'Alan Turing',
        Account: expect.objectContaining({ Name: 'Globex', Industry: 'Finance' }),
      }),
    ]);
    const roles = run(
      'SELECT Contact.Email, Opportunity.Account.Name, Opportunity.IsWon FROM OpportunityContactRole',
    );
    expect(roles[0]).toMatchObject({
      Contact: { Email: 'ada@acme.example' },
      Opportunity: { IsWon: true, Account: { Name: 'Acme' } },
    });
    expect(run('SELECT Who.Name, What.Name FROM Task')[0]).toMatchObject({
      Who: { attributes: { type: 'Contact' }, Name: 'Ada Lovelace' },
      What: { attributes: { type: 'Opportunity' }, Name: 'Acme pilot' },
    });
  });

  it('evaluates AND/OR/NOT, IN, NOT IN, LIKE with escapes, null and != (which keeps nulls)', () => {
    const names = (soql: string): unknown[] => run(soql).map((r) => r.LastName);
    expect(
      names(
        "SELECT LastName FROM Contact WHERE (Email LIKE 'a%' AND NOT LastName = 'Turing') OR LastName = 'O\\'Brien'",
      ),
    ).toEqual(['Lovelace', "O'Brien"]);
    expect(
      names("SELECT LastName FROM Contact WHERE LastName IN ('Turing', 'Lovelace') ORDER BY LastName"),
    ).toEqual(['Lovelace', 'Turing']);
    expect(names("SELECT LastName FROM Contact WHERE LastName NOT IN ('Turing')")).toEqual([
      'Lovelace',
      "O'Brien",
    ]);
    expect(names('SELECT LastName FROM Contact WHERE Email = null')).toEqual(["O'Brien"]);
    expect(names("SELECT LastName FROM Contact WHERE Email != 'ada@acme.example'")).toEqual([
      'Turing',
      "O'Brien",
    ]);
    expect(names("SELECT LastName FROM Contact WHERE LastName LIKE 'O\\'B_ien'")).toEqual(["O'Brien"]);
  });

  it('compares datetimes, dates, numbers and date literals', () => {
    const names = (soql: string): unknown[] => run(soql).map((r) => r.LastName ?? r.Name);
    expect(
      names('SELECT LastName FROM Contact WHERE CreatedDate > 2025-01-01T00:00:00Z ORDER BY CreatedDate'),
    ).toEqual(['Turing', 'Lovelace']);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate >= 2025-03-09T09:00:00+01:00')).toEqual([
      'Lovelace',
    ]);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:7')).toEqual(['Lovelace']);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate < YESTERDAY ORDER BY LastName')).toEqual([
      "O'Brien",
      'Turing',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate < 2025-03-01 AND Amount >= 10000')).toEqual([
      'Acme pilot',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE IsClosed = false')).toEqual(['Globex']);
  });

  it('orders with NULLS FIRST/LAST, applies LIMIT/OFFSET, counts and expands FIELDS()', () => {
    expect(run('SELECT Email FROM Contact ORDER BY Email ASC NULLS LAST').map((r) => r.Email)).toEqual([
      'ada@acme.example',
      'alan@globex.example',
      null,
    ]);
    expect(
      run('SELECT Email FROM Contact ORDER BY Email DESC NULLS FIRST LIMIT 2 OFFSET 1').map((r) => r.Email),
    ).toEqual(['alan@globex.example', 'ada@acme.example']);
    const q = compileSoql(parseSoql("SELECT COUNT() FROM Contact WHERE Account.Name != 'Acme'"), store);
    expect(executeSoql(q, store, { includeDeleted: false, urlPrefix: '' }).totalSize).toBe(2);
    expect(Object.keys(run('SELECT FIELDS(STANDARD) FROM Account LIMIT 1')[0] ?? {})).toContain('Industry');
  });
});

describe('rejected SOQL', () => {
  it.each([
    ['SELECT Id FROM', 'MALFORMED_QUERY'],
    ['SELECT Id FRM Contact', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Contact WHERE LastName = 'a' AND Email = 'b' OR Id = 'c'", 'MALFORMED_QUERY'],
    ["SELECT Id FROM Contact WHERE LastName = 'unterminated", 'MALFORMED_QUERY'],
    ['SELECT COUNT(), Id FROM Contact', 'MALFORMED_QUERY'],
    // the REST API returns dateTimes as +0000, but SOQL only takes Z or +hh:mm
    ['SELECT Id FROM Contact WHERE SystemModstamp > 2025-01-31T10:00:00.000+0000', 'MALFORMED_QUERY'],
    ['SELECT Id, Id FROM Contact', 'MALFORMED_QUERY'],
    ['SELECT FIELDS(ALL) FROM Contact', 'MALFORMED_QUERY'],
    ['SELECT Nope FROM Contact', 'INVALID_FIELD'],
    ['SELECT Nope.Name FROM Contact', 'INVALID_FIELD'],
    ["SELECT Id FROM Contact WHERE CreatedDate > '2025-01-01'", 'INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE LastName = 5', 'INVALID_FIELD'],
    ["SELECT Id FROM Opportunity WHERE Amount > '5'", 'INVALID_FIELD'],
    ["SELECT Id FROM Account WHERE Description = 'x'", 'INVALID_FIELD'],
    ['SELECT Id FROM Nope__c', 'INVALID_TYPE'],
    ['SELECT Id FROM Contact OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'],
  ])('%s → %s', (soql, code) => {
    expect(error(soql).errorCode).toBe(code);
  });

  it.each([
    'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
    'SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)',
    'SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId',
    'SELECT MAX(Amount) FROM Opportunity',
    'SELECT Id FROM Contact c',
    'SELECT TYPEOF What WHEN Account THEN Name END FROM Task',
    'SELECT Id FROM Contact WITH SECURITY_ENFORCED',
    'SELECT Id FROM Contact FOR UPDATE',
    'SELECT toLabel(LeadSource) FROM Contact',
    'SELECT Id FROM Contact WHERE CreatedDate = THIS_MONTH',
    'SELECT Id FROM Contact USING SCOPE mine',
  ])('valid SOQL the sandbox does not implement is refused honestly: %s', (soql) => {
    const err = error(soql);
    expect(err.errorCode).toBe('MALFORMED_QUERY');
    expect(err.message).toContain('not supported by the Cairn sandbox');
  });

  it('formats errors like Salesforce (line, caret, row and column)', () => {
    expect(error('SELECT Nope FROM Contact').message).toBe(
      "\nSELECT Nope FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nope' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });
});
