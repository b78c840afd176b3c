import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { useRequest, useSaving } from '../../app/hooks.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { fetchTimingSettings, saveTimingSettings, type TimingSettings } from './api.js';
import { clockOf, officeHoursOf } from './calendar.js';

interface Values {
  officeHours: { from: string; to: string }[];
  yellowPercent: number;
  archiveAfterDays: number;
  reopenWindowDays: number;
  schedulerIntervalSeconds: number;
}

const valuesOf = (s: TimingSettings): Values => ({
  officeHours: s.officeHours.map(([from, to]) => ({ from: clockOf(from), to: clockOf(to) })),
  yellowPercent: Math.round(s.yellowShare * 100),
  archiveAfterDays: s.archiveAfterDays,
  reopenWindowDays: s.reopenWindowDays,
  schedulerIntervalSeconds: s.schedulerIntervalSeconds,
});

/**
 * 办公时间与计时: the office hours a limit in working hours counts (many districts keep summer and
 * winter hours), the share of a limit after which a step turns yellow, and the case windows. Saved
 * together (`PUT /api/admin/workflow-settings`, audited); steps started afterwards count on them.
 */
export function TimingSettingsCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const loaded = useRequest((signal) => fetchTimingSettings(signal), []);
  const [form] = Form.useForm<Values>();
  const { saving, save } = useSaving();
  useEffect(() => {
    if (loaded.data) form.setFieldsValue(valuesOf(loaded.data));
  }, [loaded.data, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const read = officeHoursOf(v.officeHours);
    if (!('hours' in read)) return;
    await save(async () => {
      const out = await saveTimingSettings({
        officeHours: read.hours,
        yellowShare: v.yellowPercent / 100,
        archiveAfterDays: v.archiveAfterDays,
        reopenWindowDays: v.reopenWindowDays,
        schedulerIntervalSeconds: v.schedulerIntervalSeconds,
      });
      form.setFieldsValue(valuesOf(out));
      void message.success(t('admin.timing.saved'));
    });
  };

  if (loaded.status === 'error') {
    return <Card title={t('admin.timing.title')}><ErrorState title={t('common.loadFailed')} message={describeError(loaded.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={loaded.reload} /></Card>;
  }
  return (
    <Card
      title={t('admin.timing.title')}
      loading={!loaded.data}
      extra={<Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void submit().catch(() => undefined)}>{t('admin.common.save')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('admin.timing.hint')}</Typography.Paragraph>
      <Form form={form} name="timingSettings" layout="vertical" requiredMark={false} autoComplete="off">
        <Row gutter={[32, 0]}>
          <Col xs={24} lg={10}>
            <Form.List
              name="officeHours"
              rules={[{
                validator: async (_, rows: Values['officeHours'] | undefined) => {
                  const read = officeHoursOf(rows ?? []);
                  if ('problem' in read) throw new Error(t(`admin.timing.problem.${read.problem}`, { row: (read.row ?? 0) + 1 }));
                },
              }]}
            >
              {(fields, { add, remove }, { errors }) => (
                <Form.Item label={t('admin.timing.officeHours')} extra={t('admin.timing.officeHoursHint')}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    {fields.map((field, i) => (
                      <Space key={field.key} align="baseline">
                        <Form.Item name={[field.name, 'from']} noStyle rules={[{ required: true, message: t('admin.timing.problem.time', { row: i + 1 }) }]}>
                          <Input style={{ width: 96 }} placeholder="09:00" aria-label={t('admin.timing.periodFrom', { row: i + 1 })} />
                        </Form.Item>
                        <span aria-hidden>—</span>
                        <Form.Item name={[field.name, 'to']} noStyle rules={[{ required: true, message: t('admin.timing.problem.time', { row: i + 1 }) }]}>
                          <Input style={{ width: 96 }} placeholder="12:00" aria-label={t('admin.timing.periodTo', { row: i + 1 })} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} disabled={fields.length === 1} aria-label={t('admin.timing.removePeriod', { row: i + 1 })} onClick={() => remove(field.name)} />
                      </Space>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 4} onClick={() => add({ from: '', to: '' })}>{t('admin.timing.addPeriod')}</Button>
                    <Form.ErrorList errors={errors} />
                  </Space>
                </Form.Item>
              )}
            </Form.List>
          </Col>
          <Col xs={24} lg={14}>
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item name="yellowPercent" label={t('admin.timing.yellowShare')} extra={t('admin.timing.yellowShareHint')} rules={[{ required: true, type: 'integer', min: 50, max: 99, message: t('admin.timing.range', { min: 50, max: 99 }) }]}>
                  <InputNumber min={50} max={99} precision={0} suffix="%" style={{ width: 140 }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="archiveAfterDays" label={t('admin.timing.archiveAfterDays')} extra={t('admin.timing.archiveAfterDaysHint')} rules={[{ required: true, type: 'integer', min: 1, max: 3650, message: t('admin.timing.range', { min: 1, max: 3650 }) }]}>
                  <InputNumber min={1} max={3650} precision={0} suffix={t('admin.calendar.days')} style={{ width: 140 }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="reopenWindowDays" label={t('admin.timing.reopenWindowDays')} extra={t('admin.timing.reopenWindowDaysHint')} rules={[{ required: true, type: 'integer', min: 0, max: 365, message: t('admin.timing.range', { min: 0, max: 365 }) }]}>
                  <InputNumber min={0} max={365} precision={0} suffix={t('admin.calendar.days')} style={{ width: 140 }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="schedulerIntervalSeconds" label={t('admin.timing.schedulerInterval')} extra={t('admin.timing.schedulerIntervalHint')} rules={[{ required: true, type: 'integer', min: 5, max: 3600, message: t('admin.timing.range', { min: 5, max: 3600 }) }]}>
                  <InputNumber min={5} max={3600} precision={0} suffix={t('admin.timing.seconds')} style={{ width: 140 }} />
                </Form.Item>
              </Col>
            </Row>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
