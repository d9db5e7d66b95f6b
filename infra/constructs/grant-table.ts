import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { tableDesign } from '../../shared/adapters/dynamodb/table-design.ts';

const dataActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/**
 * Read/write on the table and its named indexes only (CDK's grant adds `index/*`), plus use
 * of the table's key.
 */
export function grantTableReadWrite(fn: LambdaFunction & IGrantable, table: ITable): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: dataActions,
      resources: [
        table.tableArn,
        ...tableDesign.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ],
    }),
  );
  table.encryptionKey?.grantEncryptDecrypt(fn);
}
