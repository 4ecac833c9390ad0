-- The audit log of a case includes the events on its person (entityType 'Person', entityId = person id),
-- and the Art. 15 export reads them: an index on the entity keeps both fast on a large log.
CREATE INDEX "AuditEvent_entityId_at_idx" ON "AuditEvent"("entityId", "at");
