// Changing a course (the course page's edit form, issue 15): the same fields and checks as creating
// one. Seats can be lowered only down to reserved + already taken seats; the check and the change are
// one UPDATE, so a seat proposal running at the same time can never leave more taken than seats.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { CourseInput } from '../../core/domain/inventory/education';
import { badRequest } from '../errors';
import { courseColumns, courseOr404 } from './education';

export async function updateCourse(db: Db, actor: Actor, id: string, input: CourseInput) {
  const before = await courseOr404(db, id);
  const partner = await db.partner.findUnique({ where: { id: input.partnerId }, select: { id: true } });
  if (!partner) throw badRequest('Träger unbekannt.', [{ field: 'partnerId', message: 'Träger unbekannt' }]);
  const changed = await db.$transaction(async (tx) => {
    const r = await tx.course.updateMany({
      where: { id, taken: { lte: input.seats - input.reserved } },
      data: courseColumns(input),
    });
    if (r.count === 1)
      await audit(tx, actor, 'course.update', { type: 'Course', id }, { seats: input.seats, reserved: input.reserved, kind: input.kind });
    return r.count === 1;
  });
  if (!changed) {
    const now = await courseOr404(db, id);
    throw badRequest('Plätze: weniger als schon vergeben.', [
      {
        field: 'seats',
        message: `Plätze: ${now.taken} ${now.taken === 1 ? 'ist' : 'sind'} schon vergeben – Plätze müssen mindestens vergebene + reservierte (${now.taken + input.reserved}) sein`,
      },
    ]);
  }
  return { id, reference: before.reference };
}
