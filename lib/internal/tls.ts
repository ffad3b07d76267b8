import { IConstruct } from 'constructs';
import { fail } from './validation';

/** PEM text for a `kubernetes.io/tls` Secret, supplied at synth time (decision D6). */
export interface TlsMaterial {
  /** PEM certificate (`-----BEGIN CERTIFICATE-----`). */
  readonly certificatePem: string;
  /** PEM private key: a PKCS#8 or PKCS#1 (RSA) key block, as `openssl req -newkey` writes it. */
  readonly privateKeyPem: string;
}

/** Checks the PEM framing; never echoes key material into the error. */
export function validateTlsMaterial(scope: IConstruct, prop: string, tls: TlsMaterial): void {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(tls.certificatePem)) {
    fail(
      scope,
      `${prop}.certificatePem`,
      `<${tls.certificatePem.length} characters>`,
      'must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)',
    );
  }
  if (!/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]+-----END ([A-Z]+ )?PRIVATE KEY-----/.test(tls.privateKeyPem)) {
    fail(
      scope,
      `${prop}.privateKeyPem`,
      '<redacted>',
      'must be a PEM private key block (PKCS#8 or PKCS#1, as openssl writes it)',
    );
  }
}
