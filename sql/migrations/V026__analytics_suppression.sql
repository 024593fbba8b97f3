-- Issue 18: what a published analytics cell needs, readable by whoever reads the analytics views.
-- heroes_analytics may not read analytics_settings (the refresh's own state), yet a BI tool and
-- AnalyticsReader name k beside the numbers, to say why a cell is empty. A day, as every view.
CREATE VIEW analytics_suppression AS
SELECT s.k_anonymity, s.min_classrooms, (s.refreshed_at AT TIME ZONE 'UTC')::date AS refreshed_on
  FROM public.analytics_settings s;
COMMENT ON VIEW analytics_suppression IS 'A cell of the analytics views is published from k_anonymity student sessions and min_classrooms classrooms up; the rollups were last refreshed on refreshed_on (UTC)';

GRANT SELECT ON analytics_suppression TO analytics_role, readonly_role, application_role;
