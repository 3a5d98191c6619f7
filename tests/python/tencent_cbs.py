"""Calls CBS CreateDiskBackup through the official tencentcloud-sdk-python (TC3-HMAC-SHA256)
against the emulator, and prints one JSON line with the outcome.

Environment: EMU_ENDPOINT (host:port), EMU_TENCENT_SECRET_ID, EMU_TENCENT_SECRET_KEY,
EMU_DISK_ID (optional).
"""
import json
import os

from tencentcloud.cbs.v20170312 import cbs_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

cred = credential.Credential(
    os.environ["EMU_TENCENT_SECRET_ID"], os.environ["EMU_TENCENT_SECRET_KEY"]
)
http = HttpProfile(endpoint=os.environ["EMU_ENDPOINT"], protocol="http", reqTimeout=20)
client = cbs_client.CbsClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http))

req = models.CreateDiskBackupRequest()
req.DiskId = os.environ.get("EMU_DISK_ID", "disk-sdk00001")
req.DiskBackupName = "from the official Python SDK"
try:
    resp = client.CreateDiskBackup(req)
    out = {"ok": True, "DiskBackupId": resp.DiskBackupId, "RequestId": resp.RequestId}
except TencentCloudSDKException as e:
    out = {
        "ok": False,
        "code": e.get_code(),
        "message": e.get_message(),
        "request_id": e.get_request_id(),
    }
print(json.dumps(out))
