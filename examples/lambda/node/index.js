// The walkthrough's authorizer in Node.js, for MQTT devices that send a user
// name and password (the authorizer has signing disabled). IoT Core passes the
// password base64-encoded; the expected credentials come from the environment
// the authorizer definition declares.
'use strict';

const TOPIC = 'customAuthTestTopic';

exports.handler = async (event, context) => {
  const mqtt = (event.protocolData && event.protocolData.mqtt) || {};
  const password = mqtt.password ? Buffer.from(mqtt.password, 'base64').toString('utf8') : undefined;
  console.log(`connection ${event.connectionMetadata.id}: user ${mqtt.username}, client ${mqtt.clientId}`);

  if (mqtt.username !== process.env.DEVICE_USERNAME || password !== process.env.DEVICE_PASSWORD) {
    console.log('wrong user name or password: not authenticated');
    return { isAuthenticated: false, principalId: 'unknown', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };
  }

  const [, , , region, account] = context.invokedFunctionArn.split(':');
  return {
    isAuthenticated: true,
    principalId: 'walkthroughMqttDevice',
    disconnectAfterInSeconds: 86400,
    refreshAfterInSeconds: 300,
    policyDocuments: [
      {
        Version: '2012-10-17',
        Statement: [{ Action: 'iot:Publish', Effect: 'Allow', Resource: `arn:aws:iot:${region}:${account}:topic/${TOPIC}` }],
      },
    ],
  };
};
