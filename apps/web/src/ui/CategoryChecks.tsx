import { Checkbox, Stack, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { CATEGORIES, type Category } from './Section';

/** The data categories as a group of checkboxes; a category can be held back with the reason shown beside it. */
export function CategoryChecks(props: {
  label: string;
  description?: string;
  value: Category[];
  onChange(value: Category[]): void;
  disabled?: Partial<Record<Category, string>>;
  error?: string;
}) {
  const { t } = useI18n();
  return (
    <Checkbox.Group
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(v) => props.onChange(v as Category[])}
      error={props.error}
    >
      <Stack gap={6} mt="xs">
        {CATEGORIES.map((category) => (
          <div key={category}>
            <Checkbox value={category} label={t(`category.${category}`)} disabled={Boolean(props.disabled?.[category])} />
            {props.disabled?.[category] && (
              <Text size="xs" ml={30} c="dimmed">
                {props.disabled[category]}
              </Text>
            )}
          </div>
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
