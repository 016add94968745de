-- Notifications are searchable through the platform's search index (search_documents);
-- those written before it was fed are indexed here, with the attributes searches narrow by.
INSERT INTO search_documents (index_name, id, title, body, attributes)
SELECT 'notifications', id, title, body, jsonb_build_object('userId', user_id, 'type', type)
  FROM notification.notifications
    ON CONFLICT (index_name, id) DO NOTHING;
