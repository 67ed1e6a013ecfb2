"""The API's part of the database snapshot (tests.stod.ogonblick): its keys (whether
revoked; not when last used, which every call may note) and its intake rows."""

from api.models import ApiNyckel, Intag
from tests.stod import ogonblicksdel


@ogonblicksdel("api.ApiNyckel")
def ogonblick_api():
    return {
        "api_nycklar": sorted(ApiNyckel.objects.values_list("pk", "aterkallad")),
        "api_intag": sorted(Intag.objects.values_list("pk", "typ", "extern_id", "object_id")),
    }
