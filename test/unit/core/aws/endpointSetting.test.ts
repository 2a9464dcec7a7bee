import * as assert from 'node:assert/strict';
import { endpointsFromSetting, resolveTarget } from '../../../../src/core/aws';

describe('iotAuthz.aws.endpoint: one URL or one per service', () => {
  it('a string applies to both services; empty is none', () => {
    assert.deepEqual(endpointsFromSetting(' http://127.0.0.1:4566 '), { iot: 'http://127.0.0.1:4566', lambda: 'http://127.0.0.1:4566' });
    assert.equal(endpointsFromSetting(''), undefined);
    assert.equal(endpointsFromSetting(undefined), undefined);
  });

  it('an object sets each service; a missing one falls back to IOT_AUTHZ_ENDPOINT_*', () => {
    assert.deepEqual(endpointsFromSetting({ iot: 'http://a:1', lambda: 'http://b:2' }), { iot: 'http://a:1', lambda: 'http://b:2' });
    const endpoints = endpointsFromSetting({ iot: 'http://a:1' });
    assert.deepEqual(endpoints, { iot: 'http://a:1' });
    const r = resolveTarget({ region: 'eu-west-1', endpoints, env: { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', IOT_AUTHZ_ENDPOINT_LAMBDA: 'http://env:3' } });
    assert.deepEqual(r.endpoints, { iot: 'http://a:1', lambda: 'http://env:3' });
  });

  it('other shapes are ignored, not half-used', () => {
    assert.equal(endpointsFromSetting({ iot: 5 }), undefined);
    assert.equal(endpointsFromSetting(['http://a']), undefined);
    assert.equal(endpointsFromSetting({}), undefined);
  });
});
