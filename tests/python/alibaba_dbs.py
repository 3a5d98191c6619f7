"""Calls DBS CreateBackupPlan through the official Alibaba Cloud Python SDK
(alibabacloud-dbs20190306 on alibabacloud-tea-openapi) against the emulator, and prints one
JSON line with the outcome.

Environment: EMU_ENDPOINT (host:port), EMU_ALIBABA_ACCESS_KEY_ID,
EMU_ALIBABA_ACCESS_KEY_SECRET, EMU_SIGNATURE ("acs3", the SDK's default, or "v2" for
HMAC-SHA1), EMU_CLIENT_TOKEN (optional), EMU_USED_TIME (optional, default 3).
"""
import json
import os

from alibabacloud_dbs20190306 import models as dbs_models
from alibabacloud_dbs20190306.client import Client
from alibabacloud_tea_openapi import utils_models as open_api_models
from darabonba.runtime import RuntimeOptions

config = open_api_models.Config(
    access_key_id=os.environ["EMU_ALIBABA_ACCESS_KEY_ID"],
    access_key_secret=os.environ["EMU_ALIBABA_ACCESS_KEY_SECRET"],
    endpoint=os.environ["EMU_ENDPOINT"],
    protocol="http",
    region_id="cn-hangzhou",
)
if os.environ.get("EMU_SIGNATURE", "acs3") == "v2":
    config.signature_algorithm = "v2"
client = Client(config)

req = dbs_models.CreateBackupPlanRequest(
    region="cn-hangzhou",
    database_type="MySQL",
    instance_class="small",
    backup_method="logical",
    period="Month",
    used_time=int(os.environ.get("EMU_USED_TIME", "3")),
    client_token=os.environ.get("EMU_CLIENT_TOKEN") or None,
)
try:
    resp = client.create_backup_plan_with_options(req, RuntimeOptions(autoretry=False))
    out = {
        "ok": True,
        "status": resp.status_code,
        "BackupPlanId": resp.body.backup_plan_id,
        "RequestId": resp.body.request_id,
    }
except Exception as e:  # the SDK raises its own exception classes with code/statusCode
    out = {
        "ok": False,
        "code": getattr(e, "code", None),
        "status": getattr(e, "status_code", None) or getattr(e, "statusCode", None),
        "message": str(getattr(e, "message", e)),
    }
print(json.dumps(out))
