/**
 * GSI1's projection change (ALL → INCLUDE under the new name GSI1-include): a fresh stack has the new index
 * only; `-c keepRetiredIndex=true` keeps the old one next to it for one deployment, so that each step of
 * an upgrade adds or removes one index, the most CloudFormation does in one update (docs/deploy.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RETIRED_GSI1, SURVEY_TABLE } from '../../functions/adapters/dynamodb/table/definition.ts';
import { GSI1 } from '../../functions/adapters/dynamodb/table/keys.ts';
import { DeployParameterError, parseDeployParameters } from '../../infra/deploy-parameters.ts';
import { synthesize } from './synth.ts';

const fresh = synthesize({ context: { senderEmail: 'surveys@shop.example' } });
const upgrading = synthesize({ context: { senderEmail: 'surveys@shop.example', keepRetiredIndex: 'true' } });
afterAll(() => {
  fresh.cleanUp();
  upgrading.cleanUp();
});

/** The table's indexes in a template: name → projection. */
function indexesOf(synth: typeof fresh): Record<string, { ProjectionType: string; NonKeyAttributes?: string[] }> {
  const tables = Object.values(synth.template.findResources('AWS::DynamoDB::Table')) as Array<{ Properties: Record<string, any> }>;
  expect(tables).toHaveLength(1);
  return Object.fromEntries(
    (tables[0]!.Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } }>).map(
      (i) => [i.IndexName, i.Projection],
    ),
  );
}

/** Every IAM policy document of the stack, as text. */
const policies = (synth: typeof fresh) => JSON.stringify(synth.template.findResources('AWS::IAM::Policy'));

describe('GSI1 with the INCLUDE projection', () => {
  it('Should give a fresh stack GSI1-include with the filtered attributes only, and no retired GSI1', () => {
    // Act
    const indexes = indexesOf(fresh);

    // Assess
    expect(Object.keys(indexes).sort()).toEqual(['GSI1-include', 'GSI2']);
    expect(indexes[GSI1.name]).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['channel', 'customerId', 'segments'] });
    expect(indexes[GSI1.name]!.NonKeyAttributes).not.toContain('status');
    expect(indexes[GSI1.name]!.NonKeyAttributes).not.toContain('claimedAt');
    expect(policies(fresh)).not.toContain(`/index/${RETIRED_GSI1.indexName}"`);
  });

  it('Should keep the retired GSI1 (ALL) next to GSI1-include with keepRetiredIndex, readable by the functions not yet updated', () => {
    // Act
    const indexes = indexesOf(upgrading);

    // Assess
    expect(indexes[RETIRED_GSI1.indexName]).toEqual({ ProjectionType: 'ALL' });
    expect(indexes[GSI1.name]).toEqual(indexesOf(fresh)[GSI1.name]);
    expect(policies(upgrading)).toContain(`/index/${RETIRED_GSI1.indexName}"`);
    expect(policies(upgrading)).toContain(`/index/${GSI1.name}"`);
  });

  it('Should change one index per deployment: the old stack to the switch adds one, the switch to the fresh stack removes one', () => {
    // Prepare: the indexes a stack deployed before this change has
    const deployed = [RETIRED_GSI1.indexName, ...SURVEY_TABLE.globalSecondaryIndexes.map((i) => i.indexName).filter((name) => name !== GSI1.name)];
    const step1 = Object.keys(indexesOf(upgrading));
    const step2 = Object.keys(indexesOf(fresh));

    // Act
    const added = step1.filter((name) => !deployed.includes(name));
    const removedFirst = deployed.filter((name) => !step1.includes(name));
    const removed = step1.filter((name) => !step2.includes(name));
    const addedSecond = step2.filter((name) => !step1.includes(name));

    // Assess
    expect({ added, removedFirst }).toEqual({ added: [GSI1.name], removedFirst: [] });
    expect({ removed, addedSecond }).toEqual({ removed: [RETIRED_GSI1.indexName], addedSecond: [] });
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    [true, true],
  ])('Should read keepRetiredIndex %j as %j', (value, expected) => {
    // Act / Assess
    expect(parseDeployParameters(value === undefined ? {} : { keepRetiredIndex: value }).keepRetiredIndex).toBe(expected);
  });

  it('Should stop the synth on a keepRetiredIndex that is neither true nor false', () => {
    // Act / Assess
    expect(() => parseDeployParameters({ keepRetiredIndex: 'yes' })).toThrow(DeployParameterError);
    expect(() => parseDeployParameters({ keepRetiredIndex: 'yes' })).toThrow(/keepRetiredIndex: expected true or false/);
  });
});
