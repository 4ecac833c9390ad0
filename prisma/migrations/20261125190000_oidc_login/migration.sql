-- OIDC login: users remember the identity provider's issuer + subject (matched on later logins);
-- started logins (state, nonce, PKCE verifier) are kept server-side, single use and short-lived.
ALTER TABLE "User" ADD COLUMN "oidcIssuer" TEXT,
ADD COLUMN "oidcSubject" TEXT;

CREATE TABLE "OidcLogin" (
    "id" TEXT NOT NULL,
    "bindingHash" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "next" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "OidcLogin_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "OidcLogin_expiresAt_idx" ON "OidcLogin"("expiresAt");

CREATE UNIQUE INDEX "User_oidcIssuer_oidcSubject_key" ON "User"("oidcIssuer", "oidcSubject");
