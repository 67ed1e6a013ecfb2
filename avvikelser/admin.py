from kvalitet.admin import KodlistaAdmin, admin_site

from .models import Kategori, Orsaksomrade

admin_site.register(Kategori, KodlistaAdmin)
admin_site.register(Orsaksomrade, KodlistaAdmin)
