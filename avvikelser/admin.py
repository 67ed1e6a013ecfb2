from kvalitet.admin import KodlistaAdmin, admin_site

from .models import Kategori

admin_site.register(Kategori, KodlistaAdmin)
