#!/usr/bin/env node
// The CDK app behind fixtures/cloudformation/cdk_synth/cdk.out/IncidentManagerStack.template.json.
// scripts/make-cdk-fixture runs it (as `cdk synth` would: context from cdk.json, output directory
// in CDK_OUTDIR) and keeps only the stack template. Plain JavaScript, so no TypeScript build.
//
// Written as a team would write it, including the classic mistake the rule pack exists to catch:
// the replication set's second Region (a literal "us-west-2") is served by the same key as the
// stack Region, but a KMS key of this stack lives in the stack Region only (CKV_IM_3).
'use strict';

const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const sns = require('aws-cdk-lib/aws-sns');
const ssmincidents = require('aws-cdk-lib/aws-ssmincidents');

class IncidentManagerStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Customer managed key for Incident Manager data (L2).
    const incidentKey = new kms.Key(this, 'IncidentKey', {
      description: 'Encrypts Incident Manager data',
      enableKeyRotation: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    incidentKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'IncidentManagerAccess',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringLike: {
          'kms:ViaService': ['ssm-incidents.*.amazonaws.com', 'ssm-contacts.*.amazonaws.com'],
        },
      },
    }));

    // The replication set (L1): the stack Region, and a second Region that wrongly reuses the
    // stack's key. Deleting the set deletes all Incident Manager data: keep it.
    const replicationSet = new ssmincidents.CfnReplicationSet(this, 'ReplicationSet', {
      regions: [
        { regionName: cdk.Aws.REGION, regionConfiguration: { sseKmsKeyId: incidentKey.keyArn } },
        { regionName: 'us-west-2', regionConfiguration: { sseKmsKeyId: incidentKey.keyArn } },
      ],
    });
    replicationSet.cfnOptions.deletionPolicy = cdk.CfnDeletionPolicy.RETAIN;
    replicationSet.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.RETAIN;

    // Chat channel topic of the response plan, without a KMS master key (CKV_IM_12).
    const chatTopic = new sns.Topic(this, 'ChatTopic');

    const responsePlan = new ssmincidents.CfnResponsePlan(this, 'ResponsePlan', {
      name: 'database-outage',
      displayName: 'Database outage',
      chatChannel: { chatbotSns: [chatTopic.topicArn] },
      incidentTemplate: {
        title: 'Database outage',
        impact: 2,
        summary: 'The primary database does not answer',
      },
    });
    responsePlan.addResourceDependency(replicationSet);

    // An asymmetric signing key of the same stack that Incident Manager does not use: the pack
    // must not judge it (it is not an Incident Manager key).
    new kms.Key(this, 'SigningKey', {
      description: 'Signs release artifacts',
      keySpec: kms.KeySpec.RSA_2048,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
  }
}

// Environment-agnostic (no account, no Region) and no version reporting: the template then
// depends on nothing but this file, cdk.json and the pinned package versions.
const app = new cdk.App({ analyticsReporting: false });
new IncidentManagerStack(app, 'IncidentManagerStack', {
  description: 'Incident Manager with a customer managed key, written with the AWS CDK (the second Region reuses the stack key: CKV_IM_3 fails; the chat topic is unencrypted: CKV_IM_12 fails).',
});
app.synth();
