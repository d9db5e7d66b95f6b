import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolUser,
  CfnUserPoolUserToGroupAttachment,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolClientOptions,
  type UserPoolDomain,
  UserPoolGroup,
  UserPoolOperation,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { cliRedirectUris, personScopes } from '../../shared/sign-in.ts';
import {
  adminScope,
  adminsGroup,
  cohortScope,
  scopePrefix,
} from '../../shared/use-cases/organizer-access.ts';
import type { DeployConfig } from '../deploy-config.ts';
import { TandemFunction } from './tandem-function.ts';

/** Cognito's lifetimes for every app client: an hour for access tokens, 30 days to refresh. */
const tokenLifetimes = {
  accessTokenValidity: Duration.hours(1),
  idTokenValidity: Duration.hours(1),
  refreshTokenValidity: Duration.days(30),
  enableTokenRevocation: true,
  preventUserExistenceErrors: true,
} satisfies UserPoolClientOptions;

/**
 * Where organizers sign in: a Cognito user pool on the Plus plan (threat protection), with
 * managed login, optional TOTP multi-factor authentication and an `admins` group; no
 * self-sign-up (an admin invites organizers). Its app clients:
 *
 * - the CLI: a public client, authorization code with PKCE, loopback redirects (RFC 8252);
 * - one confidential client per script in `automationClients` (client credentials), whose
 *   scope names its cohorts (`tandem/cohort:<id>`) or everything (`tandem/admin`).
 *
 * The web console adds one more public client with the code flow, its callback on the
 * console's origin (`ConsoleHosting`): `addClient` puts it in `audience`, which the API's JWT
 * authorizer accepts.
 */
export class OrganizerSignIn extends Construct {
  readonly userPool: UserPool;
  /** The OpenID issuer, as API Gateway's JWT authorizer and the CLI know it. */
  readonly issuer: string;
  readonly cliClient: UserPoolClient;
  /** Cognito's managed login (the hosted sign-in and sign-out pages). */
  readonly domain: UserPoolDomain;
  /** Every app client id: the API's JWT audience (Cognito's access tokens carry `client_id`). */
  readonly audience: string[] = [];

  constructor(scope: Construct, id: string, props: { config: DeployConfig }) {
    super(scope, id);
    const { config } = props;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'tandem-organizers',
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'You are invited to run mentoring cohorts with Tandem',
        emailBody:
          'Hello,<br><br>You can now sign in to Tandem as {username} with the temporary password {####} (you will choose your own). Sign in with <code>tandem login --api-url &lt;your API URL&gt;</code>.',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Multi-factor authentication is optional by design (organizers turn on TOTP themselves); the Plus plan’s threat protection blocks risky and compromised-credential sign-ins.',
    });
    this.issuer = this.userPool.userPoolProviderUrl;

    // Access tokens carry the person's email (Tandem's programs list organizers by email).
    const preTokenGeneration = new TandemFunction(this, 'PreTokenGeneration', {
      handlerFile: 'auth/pre-token-generation.ts',
      description: 'Cognito: puts the verified email in organizers’ access tokens',
      environment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      preTokenGeneration,
      LambdaVersion.V2_0,
    );

    const admins = new UserPoolGroup(this, 'Admins', {
      userPool: this.userPool,
      groupName: adminsGroup,
      description: 'See every cohort, and launch cohorts',
    });
    // The first admin, invited by email with a temporary password.
    const firstAdmin = new CfnUserPoolUser(this, 'FirstAdmin', {
      userPoolId: this.userPool.userPoolId,
      username: config.adminEmail,
      userAttributes: [
        { name: 'email', value: config.adminEmail },
        { name: 'email_verified', value: 'true' },
      ],
      desiredDeliveryMediums: ['EMAIL'],
    });
    new CfnUserPoolUserToGroupAttachment(this, 'FirstAdminIsAdmin', {
      userPoolId: this.userPool.userPoolId,
      groupName: admins.groupName,
      username: firstAdmin.ref,
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.signInDomainPrefix ?? `tandem-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    // Scripts' scopes: tandem/admin, and tandem/cohort:<id> for each cohort a script names.
    const resourceServerId = scopePrefix.replace(/\/$/, '');
    const scopeName = (scope: string) => scope.slice(scopePrefix.length);
    const cohorts = [...new Set(config.automationClients.flatMap((client) => client.cohorts))];
    const api = new UserPoolResourceServer(this, 'Api', {
      userPool: this.userPool,
      identifier: resourceServerId,
      userPoolResourceServerName: 'Tandem API',
      scopes: [
        { scopeName: scopeName(adminScope), scopeDescription: 'Every cohort, and launching cohorts' },
        ...cohorts.map((cohortId) => ({
          scopeName: scopeName(cohortScope(cohortId)),
          scopeDescription: `Cohort ${cohortId}`,
        })),
      ],
    });

    this.cliClient = this.addClient('CliClient', {
      userPoolClientName: 'tandem-cli',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: personScopes.map((scope) => OAuthScope.custom(scope)),
        callbackUrls: cliRedirectUris,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    });
    new CfnManagedLoginBranding(this, 'CliLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.cliClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    for (const client of config.automationClients) {
      const scopes = [...(client.admin ? [adminScope] : []), ...client.cohorts.map(cohortScope)];
      this.addClient(`Script${client.name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`, {
        userPoolClientName: `tandem-script-${client.name}`,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: scopes.map((scope) =>
            OAuthScope.resourceServer(api, { scopeName: scopeName(scope), scopeDescription: scope }),
          ),
        },
      });
    }
  }

  /** An app client whose access tokens the API accepts. */
  addClient(id: string, options: UserPoolClientOptions): UserPoolClient {
    const client = this.userPool.addClient(id, { ...tokenLifetimes, ...options });
    this.audience.push(client.userPoolClientId);
    return client;
  }
}
