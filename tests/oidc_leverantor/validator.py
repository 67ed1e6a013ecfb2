"""The claims the test provider issues, as a municipality's Keycloak or Entra ID would:
names, e-mail, user name and the person's groups; and a refresh token is refused
(invalid_grant) once the person is disabled, not only when deleted."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        giltig = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return giltig and request.user.is_active
