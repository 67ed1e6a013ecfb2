"""Upload handling: no file larger than an attachment may be is read to its end."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: as soon as one uploaded file is larger than
    BILAGA_MAX_MB, reading the request stops (the rest of the body is never read, as if
    the connection had been reset) and the request is marked `upload_too_large`;
    RequestSizeLimitMiddleware then refuses it with 413 before any view sees it.

    The body's Content-Length is checked by that middleware before anything is read;
    this is what bounds a file within it, whatever the part's own (client-supplied)
    length says. Passes every chunk on to the handlers that store the file."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.BILAGA_MAX_MB * 1024 * 1024:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
