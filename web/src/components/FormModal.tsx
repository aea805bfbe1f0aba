import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { Alert, App, Form, Modal, type FormInstance, type ModalProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { errorText } from '../lib/api';
import { applyFieldError } from '../lib/forms';

export type FormModalProps<V, R> = {
  title: ReactNode;
  onClose(): void;
  /** The write: one function of the module's api.ts (POST for new, PATCH/PUT for an edit). */
  submit(values: V): Promise<R>;
  /** Query keys to refresh after a successful save. */
  invalidate?: readonly QueryKey[];
  /** Shown after a successful save. */
  success?: string | ((result: R, values: V) => string);
  /** Called after a successful save, before the modal closes (return false to keep it open). */
  onSaved?(result: R, values: V): void | false | Promise<void | false>;
  /** The form, when the caller watches its fields; otherwise the modal makes its own. */
  form?: FormInstance<V>;
  initialValues?: Partial<V>;
  /** Server field errors are put on these fields only (default: every field of the form). */
  errorFields?: readonly string[];
  /** A failure that names no field: return true when handled here (e.g. a DUPLICATE code), else it is shown as a message. */
  onError?(error: unknown, form: FormInstance<V>): boolean;
  /** Show a failure that names no field inside the dialog (an alert) rather than as a message. */
  errorsInline?: boolean;
  /** Shown above the form (e.g. a warning). */
  header?: ReactNode;
  okTestId?: string;
  okText?: ReactNode;
  width?: ModalProps['width'];
  layout?: 'vertical' | 'horizontal';
  /** Extra props of the antd Modal (e.g. cancelText, data-testid). */
  modalProps?: Partial<ModalProps> & Record<`data-${string}`, string>;
  /** Called when the user changes a field (as antd Form's onValuesChange). */
  onValuesChange?(changed: Partial<V>, all: V): void;
  /** Extra props of the antd Form (e.g. data-testid). */
  formProps?: Record<string, unknown>;
  children: ReactNode;
};

/**
 * The one form dialog: validates, runs the write with a busy OK button, refreshes the queries it
 * names, says so, and puts a server error on the field it names (or shows it as a message).
 */
export function FormModal<V, R = unknown>(props: FormModalProps<V, R>) {
  const {
    title,
    onClose,
    submit,
    invalidate = [],
    success,
    onSaved,
    initialValues,
    errorFields,
    onError,
    errorsInline,
    header,
    okTestId,
    okText,
    width,
    layout = 'vertical',
    modalProps,
    formProps,
    onValuesChange,
    children,
  } = props;
  const [own] = Form.useForm<V>();
  const form = props.form ?? own;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [inlineError, setInlineError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (values: V) => submit(values),
    onSuccess: async (result, values) => {
      await Promise.all(invalidate.map((queryKey) => qc.invalidateQueries({ queryKey })));
      const text = typeof success === 'function' ? success(result, values) : success;
      if (text) message.success(text);
      if ((await onSaved?.(result, values)) === false) return;
      onClose();
    },
    onError: (e) => {
      if (applyFieldError(form, e, errorFields) || onError?.(e, form)) return;
      if (errorsInline) setInlineError(errorText(e));
      else message.error(errorText(e));
    },
  });
  const ok = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows the field errors
    }
    setInlineError(null);
    save.mutate(values);
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void ok()}
      okText={okText}
      width={width}
      confirmLoading={save.isPending}
      okButtonProps={okTestId ? ({ 'data-testid': okTestId } as ModalProps['okButtonProps']) : undefined}
      destroyOnHidden
      {...modalProps}
    >
      {header}
      {inlineError && <Alert type="error" showIcon title={inlineError} style={{ marginBottom: 12 }} />}
      <Form<V>
        form={form}
        layout={layout}
        initialValues={initialValues}
        onValuesChange={(changed: Partial<V>, all: V) => {
          // A server error on a field goes once the field is edited.
          for (const name of Object.keys(changed as object)) form.setFields([{ name: name as never, errors: [] }]);
          onValuesChange?.(changed, all);
        }}
        {...formProps}
      >
        {children}
      </Form>
    </Modal>
  );
}
