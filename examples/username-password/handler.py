"""An MQTT username/password authorizer in Python (signing disabled).

IoT Core passes the MQTT password base64-encoded in
protocolData.mqtt.password; this function decodes it, checks it against a
salted PBKDF2 hash (credentials.json, never plain passwords), and allows the
device to connect with its user name as client id and to use its own topics.
"""
import base64
import binascii
import hashlib
import hmac
import json
import os

# Relative to the handler's folder, where the emulator (like Lambda's task root) runs it.
CREDENTIALS_FILE = os.environ.get("CREDENTIALS_FILE", "credentials.json")


def deny(reason):
    print("rejected: %s" % reason)
    return {"isAuthenticated": False, "principalId": "rejected", "policyDocuments": [],
            "disconnectAfterInSeconds": 300, "refreshAfterInSeconds": 300}


def password_matches(entry, password):
    salt = base64.b64decode(entry["salt"])
    expected = base64.b64decode(entry["pbkdf2Sha256"])
    actual = hashlib.pbkdf2_hmac("sha256", password, salt, int(entry["iterations"]))
    return hmac.compare_digest(actual, expected)


def lambda_handler(event, context):
    mqtt = event.get("protocolData", {}).get("mqtt") or {}
    username = mqtt.get("username")
    if not username:
        return deny("no username")
    if "password" not in mqtt:
        return deny("no password")
    try:
        password = base64.b64decode(mqtt["password"], validate=True)
    except (binascii.Error, ValueError):
        return deny("password is not base64")

    with open(CREDENTIALS_FILE) as f:
        users = json.load(f)["users"]
    entry = users.get(username)
    if entry is None:
        return deny("unknown user %s" % username)
    if not password_matches(entry, password):
        return deny("wrong password for %s" % username)

    _, _, _, region, account = context.invoked_function_arn.split(":")[:5]
    arn = "arn:aws:iot:%s:%s:" % (region, account)
    print("accepted: %s" % username)
    return {
        "isAuthenticated": True,
        "principalId": username,
        "disconnectAfterInSeconds": 86400,
        "refreshAfterInSeconds": 300,
        "policyDocuments": [{
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iot:Connect", "Resource": arn + "client/" + username},
                {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": arn + "topic/sensors/" + username + "/*"},
                {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": arn + "topicfilter/sensors/" + username + "/*"},
            ],
        }],
    }
