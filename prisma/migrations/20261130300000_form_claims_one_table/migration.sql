-- One table for one-time keys: a page form's `_key` claim (api/services/form-once.ts) is a row of
-- "IdempotentResponse" with the scope 'form' (its body names the action), as a JSON route's key is.
INSERT INTO "IdempotentResponse" ("userId", "scope", "key", "body", "createdAt")
SELECT "userId", 'form', "key", jsonb_build_object('action', "action"), "createdAt" FROM "FormSubmission"
ON CONFLICT DO NOTHING;

DROP TABLE "FormSubmission";
