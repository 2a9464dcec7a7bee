"""Authorizer from the AWS custom-authentication walkthrough, in Python.

IoT Core verified the token signature before calling this function (signing is
enabled), so the token can be trusted as the device sent it. The function
accepts the walkthrough's token and allows publishing to one topic.
"""
import os

EXPECTED_TOKEN = os.environ.get("EXPECTED_TOKEN", "MyStringThatNeedsToBeSigned")
TOPIC = "customAuthTestTopic"


def lambda_handler(event, context):
    print("connection %s, protocols %s" % (event["connectionMetadata"]["id"], event["protocols"]))
    if not event.get("signatureVerified") or event.get("token") != EXPECTED_TOKEN:
        print("unknown token: not authenticated")
        return {"isAuthenticated": False, "principalId": "unknown", "policyDocuments": [],
                "disconnectAfterInSeconds": 300, "refreshAfterInSeconds": 300}

    # Region and account come from the function's own ARN, as in the walkthrough.
    _, _, _, region, account, _, _ = context.invoked_function_arn.split(":")[:7]
    return {
        "isAuthenticated": True,
        "principalId": "walkthroughDevice",
        "disconnectAfterInSeconds": 86400,
        "refreshAfterInSeconds": 300,
        "policyDocuments": [
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Action": "iot:Publish",
                        "Effect": "Allow",
                        "Resource": "arn:aws:iot:%s:%s:topic/%s" % (region, account, TOPIC),
                    }
                ],
            }
        ],
    }
