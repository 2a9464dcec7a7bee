/** The local endpoint's TLS port unless configured (IoT Core's is 443, which needs root here). */
export const DEFAULT_TLS_PORT = 4443;
