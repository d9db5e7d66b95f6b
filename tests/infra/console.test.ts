import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/cdk-app.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/**
 * The web console on AWS: a private bucket only CloudFront reads, HTTPS only, a strict CSP
 * and the other security headers, access logs; its own Cognito app client (code flow with
 * PKCE, back to the distribution), whose tokens the API accepts from the console's origin only.
 */
describe('the web console (CloudFront, S3, Cognito)', () => {
  let stateful: Template;
  let stateless: Template;
  let consoleStack: Template;
  const ofType = (template: Template, type: string) =>
    Object.values(template.toJSON().Resources as Resources).filter((resource) => resource.Type === type);
  const only = (template: Template, type: string) => {
    const found = ofType(template, type);
    expect(found, type).toHaveLength(1);
    return found[0]?.Properties ?? {};
  };

  beforeAll(() => {
    const app = buildApp();
    stateful = Template.fromStack(app.stateful);
    stateless = Template.fromStack(app.stateless);
    consoleStack = Template.fromStack(app.console);
  });

  it('serves the files from a private bucket through origin access control, on HTTPS only, with access logs', () => {
    const distribution = only(stateful, 'AWS::CloudFront::Distribution').DistributionConfig as Record<
      string,
      unknown
    >;
    const json = JSON.stringify(distribution);
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    expect(json).toContain('OriginAccessControlId');
    // No legacy origin access identity: CloudFront signs its requests (OAC).
    expect(distribution.Origins).toEqual([
      expect.objectContaining({ S3OriginConfig: { OriginAccessIdentity: '' } }),
    ]);
    expect(distribution.Logging).toMatchObject({ Bucket: expect.anything(), Prefix: 'cloudfront/' });
    expect(only(stateful, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const site = ofType(stateful, 'AWS::S3::Bucket').find((bucket) =>
      JSON.stringify(bucket.Properties.BucketName ?? '').includes('tandem-console-'),
    );
    expect(site?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: expect.objectContaining({ LogFilePrefix: 'console-bucket/' }),
    });
    // Only CloudFront, for this distribution, may read it; nobody at all over plain HTTP.
    const policy = JSON.stringify(
      ofType(stateful, 'AWS::S3::BucketPolicy').find((p) =>
        JSON.stringify(p).includes('cloudfront.amazonaws.com'),
      ),
    );
    expect(policy).toContain('AWS:SourceArn');
    expect(policy).toContain('aws:SecureTransport');
  });

  it('sends a strict Content-Security-Policy and the other security headers with every file', () => {
    const config = only(stateful, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = config.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-');
    expect(csp).toContain('.auth.');
    expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toMatchObject({ Override: true });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
  });

  it('signs organizers in with an app client of its own: code flow, no secret, back to the distribution', () => {
    const client = ofType(stateful, 'AWS::Cognito::UserPoolClient').find(
      (c) => c.Properties.ClientName === 'tandem-console',
    );
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      EnableTokenRevocation: true,
    });
    const callbacks = JSON.stringify(client?.Properties.CallbackURLs);
    expect(callbacks).toContain('DomainName');
    expect(callbacks).toContain('https://');
    expect(JSON.stringify(client?.Properties.LogoutURLs)).toContain('DomainName');
  });

  it("lets the API take the console's tokens, from the console's origin only", () => {
    const api = only(stateless, 'AWS::ApiGatewayV2::Api');
    const cors = api.CorsConfiguration as Record<string, unknown>;
    expect(JSON.stringify(cors.AllowOrigins)).toMatch(/https:\/\/.*ConsoleDistribution.*DomainName/);
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(cors.AllowHeaders).toEqual(['authorization', 'content-type']);
    expect(cors).not.toHaveProperty('AllowCredentials', true);
    const audience = JSON.stringify(
      (only(stateless, 'AWS::ApiGatewayV2::Authorizer').JwtConfiguration as { Audience: unknown }).Audience,
    );
    expect(audience).toContain('ConsoleClient');
  });

  it('publishes the build and its settings, and refreshes the entry points in CloudFront', () => {
    const deployment = only(consoleStack, 'Custom::CDKBucketDeployment');
    expect(deployment.DistributionPaths).toEqual(['/index.html', '/config.json']);
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    // The settings name the API of the stateless stack and the console's app client.
    const markers = JSON.stringify(deployment.SourceMarkers);
    expect(markers).toContain('HttpApi');
    expect(markers).toContain('ConsoleClient');
  });
});
