-- Chain definition versions (issue 14): a shipped definition remembers its release number in code, so a
-- shipped version stored under another number (the city already holds its number) is recognised and
-- stored once. Rows stored so far as "shipped" were stored under their own number.
ALTER TABLE "ChainDefinitionVersion" ADD COLUMN "shippedVersion" INTEGER;
UPDATE "ChainDefinitionVersion" SET "shippedVersion" = "version" WHERE "source" = 'shipped';

-- CreateIndex
CREATE UNIQUE INDEX "ChainDefinitionVersion_type_shippedVersion_key" ON "ChainDefinitionVersion"("type", "shippedVersion");
