import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  OAuthScope,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { type ConsoleConfig, contentSecurityPolicy } from '../../console/security-headers.ts';
import { personScopes } from '../../shared/sign-in.ts';
import { nagArnPrefix, nagPseudo } from '../nag-acknowledgements.ts';
import type { OrganizerSignIn } from './organizer-sign-in.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * The console bucket's name, known to both stacks without a cross-stack reference, so the
 * handler that publishes the files is granted exactly that bucket.
 */
export const consoleBucketName = (stack: Stack) => `tandem-console-${stack.account}-${stack.region}`;

/**
 * Where the web console lives: a private S3 bucket that only CloudFront reads (origin access
 * control), a distribution on HTTPS only with security headers — the console's strict CSP
 * among them — and access logs, and the console's Cognito app client (code flow with PKCE,
 * back to the distribution's address). In the stateful stack beside the user pool: the
 * address is part of sign-in (the client's callback), and must outlive every redeploy.
 * The files themselves are published by `ConsoleFiles`, once the API's address is known.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  /** `https://<distribution>.cloudfront.net`, where organizers open the console. */
  readonly origin: string;
  /** Cognito's managed login, where the console sends organizers to sign in and out. */
  readonly signInDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: { signIn: OrganizerSignIn }) {
    super(scope, id);
    const { signIn } = props;
    const region = Stack.of(this).region;

    const logs = new Bucket(this, 'LogBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are written with an ACL: the bucket owner gets them.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This is the console's access-log bucket; logging it into itself would loop.",
    });
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: consoleBucketName(Stack.of(this)),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.signInDomain = signIn.domain;
    const cognitoDomain = signIn.domain.baseUrl();
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Tandem console: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        // The API's address is the stateless stack's: any HTTP API of this region (the origin
        // of every call is checked again by the API's CORS and its JWT authorizer).
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy([
            `https://*.execute-api.${region}.amazonaws.com`,
            `https://cognito-idp.${region}.amazonaws.com`,
            cognitoDomain,
          ]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tandem web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'Organizers work from anywhere; the console is static code, and every piece of data is behind the API, its JWT authorizer and per-cohort access.',
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'The distribution serves only the static console (no data, no form); the API it calls is throttled per route. docs/deploy.md shows how to attach a WAF web ACL.',
    );
    acknowledge(
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate, whose minimum protocol CloudFront sets; a custom domain with its own certificate gets TLSv1.2_2021 (docs/deploy.md).',
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;

    this.client = signIn.addClient('ConsoleClient', {
      userPoolClientName: 'tandem-console',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: personScopes.map((scope) => OAuthScope.custom(scope)),
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    });
  }
}

/**
 * The console's files in its bucket: the build (`console/build.ts`, run at synth) and its
 * `config.json` — the API, the issuer, the app client, Cognito's sign-out — then the entry
 * points refreshed in CloudFront. In a stack of its own, after the API's.
 */
export class ConsoleFiles extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { hosting: ConsoleHosting; apiUrl: string; issuer: string },
  ) {
    super(scope, id);
    const { hosting } = props;
    const build = Source.asset(join(root, 'console'), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Built here with esbuild: no Docker image is ever pulled.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine'),
        local: {
          tryBundle(outputDir) {
            execFileSync(process.execPath, [join(root, 'console', 'build.ts'), outputDir], {
              stdio: 'ignore',
            });
            return true;
          },
        },
      },
    });
    const home = `${hosting.origin}/`;
    const config: ConsoleConfig = {
      apiUrl: props.apiUrl,
      issuer: props.issuer,
      clientId: hosting.client.userPoolClientId,
      signOutUrl: `${hosting.signInDomain.baseUrl()}/logout?client_id=${hosting.client.userPoolClientId}&logout_uri=${encodeURIComponent(home)}`,
    };
    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: Bucket.fromBucketName(this, 'Bucket', consoleBucketName(Stack.of(this))),
      sources: [build, Source.jsonData('config.json', config)],
      distribution: hosting.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
    deployment.node.addDependency(hosting.client);
    acknowledgeDeploymentHandler(this);
  }
}

/**
 * CDK's BucketDeployment handler (one per stack, CDK's own code): it reads the build from CDK's
 * asset bucket, writes and prunes the console's bucket, and refreshes CloudFront's copies.
 */
function acknowledgeDeploymentHandler(scope: Construct): void {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) throw new Error('No BucketDeployment handler in the console stack');
  const role = handler.node.findChild('ServiceRole');
  const policy = role.node.findChild('DefaultPolicy');
  const assets = `${nagArnPrefix(scope, 's3')}cdk-hnb659fds-assets-${nagPseudo(scope, 'account')}-${nagPseudo(scope, 'region')}/*`;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: "CDK's own BucketDeployment handler: CDK pins and updates its runtime with aws-cdk-lib.",
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AWS-managed basic execution policy only allows writing this function’s own logs.',
  });
  const acknowledge = (finding: string, reason: string) =>
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*']) {
    acknowledge(`Action::${action}`, "Reads the console's build from CDK's asset bucket (CDK's grantRead).");
  }
  for (const action of ['s3:Abort*', 's3:DeleteObject*']) {
    acknowledge(
      `Action::${action}`,
      "Writes the console's bucket and prunes its old files (CDK's grantReadWrite).",
    );
  }
  acknowledge(`Resource::${assets}`, "The console's build, an object of CDK's bootstrap asset bucket.");
  acknowledge(
    `Resource::${nagArnPrefix(scope, 's3')}tandem-console-${nagPseudo(scope, 'account')}-${nagPseudo(scope, 'region')}/*`,
    "The console's own files, in its bucket.",
  );
  acknowledge(
    'Resource::*',
    "CloudFront's CreateInvalidation and GetInvalidation take no resource but the account's.",
  );
}
