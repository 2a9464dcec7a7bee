/** Names and values of AWS IoT custom authentication on the wire (custom-auth.md). */

/** Header / query parameter / MQTT username key naming the authorizer. */
export const AUTHORIZER_NAME_PARAM = 'x-amz-customauthorizer-name';
/** Header / query parameter / MQTT username key carrying the token signature. */
export const SIGNATURE_PARAM = 'x-amz-customauthorizer-signature';
/** Custom authentication over MQTT needs port 443 with this TLS ALPN protocol. */
export const MQTT_ALPN = 'mqtt';
export const CUSTOM_AUTH_PORT = 443;
/** Shown when the user has not given their account's data endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS). */
export const PLACEHOLDER_ENDPOINT = '<your-endpoint>-ats.iot.<region>.amazonaws.com';
/** Amazon's root CA for the ATS endpoints, for clients that need a --cafile. */
export const AMAZON_ROOT_CA_URL = 'https://www.amazontrust.com/repository/AmazonRootCA1.pem';
/** Token signatures: RSASSA-PKCS1-v1_5 with SHA-256, as `openssl dgst -sha256 -sign`. */
export const SIGNATURE_ALGORITHM = 'RSA-SHA256';
/** The TestInvokeAuthorizer API's pattern for tokenSignature: standard base64. */
export const AWS_TOKEN_SIGNATURE_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
