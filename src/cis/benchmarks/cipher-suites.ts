/** TLS cipher suite allow-lists of the benchmarks (1.2.29 API server, 4.2.12 kubelet). */

/** 1.2.29 in kube-bench k3s-cis-1.9 (includes CBC, 3DES and RSA key exchange suites). */
export const apiServerCiphersCis19: readonly string[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
];

/** 1.2.29 in the k3s guides for CIS 1.10 and 1.11: the 1.9 list without the 3DES and RSA-CBC suites. */
export const apiServerCiphersK3sDocs110: readonly string[] = without(apiServerCiphersCis19, [
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
]);

/** 1.2.29 from CIS 1.12 on: TLS 1.3, ECDHE with GCM or CHACHA20 only (the 1.10 list without CBC and RSA key exchange). */
export const apiServerCiphersCis112: readonly string[] = without(apiServerCiphersK3sDocs110, [
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
]);

/** 4.2.12 up to CIS 1.11 (includes two RSA key exchange GCM suites). */
export const kubeletCiphersCis19: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
];

/** 4.2.12 from CIS 1.12 on: ECDHE with GCM or CHACHA20 only (the 1.9 list without RSA key exchange). */
export const kubeletCiphersCis112: readonly string[] = without(kubeletCiphersCis19, ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256']);

/** A later benchmark's list as an earlier one minus the suites it drops, in the earlier list's order. */
function without(list: readonly string[], dropped: readonly string[]): readonly string[] {
  const missing = dropped.filter((suite) => !list.includes(suite));
  if (missing.length > 0) throw new Error(`cipher suites to drop are not in the list: ${missing.join(', ')}`);
  return list.filter((suite) => !dropped.includes(suite));
}
